import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { provisionAppRole } from './app-role';
import { dataSourceOptions } from './data-source';
import { SecretBox } from './secret-box';
import { SecretsAtRest } from './secrets-at-rest';
import { ArticlesRepository } from './repositories/articles.repository';
import { AuditRepository } from './repositories/audit.repository';
import { AuditDigestRepository } from './repositories/audit-digest.repository';
import { AuditQueryRepository } from './repositories/audit-query.repository';
import { ChecksRepository } from './repositories/checks.repository';
import { CommentsRepository } from './repositories/comments.repository';
import { TasksRepository } from './repositories/tasks.repository';
import { NotificationsRepository } from './repositories/notifications.repository';
import { EvidenceAlertsRepository } from './repositories/evidence-alerts.repository';
import { EditorialPolicyRepository } from './repositories/editorial-policy.repository';
import { LoginThrottleRepository } from './repositories/login-throttle.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { PublicationKeysRepository } from './repositories/publication-keys.repository';
import { PublicationsRepository } from './repositories/publications.repository';
import { RefreshTokensRepository } from './repositories/refresh-tokens.repository';
import { ReviewersRepository } from './repositories/reviewers.repository';
import { RevisionsRepository } from './repositories/revisions.repository';
import { SignoffsRepository } from './repositories/signoffs.repository';
import { UsersRepository } from './repositories/users.repository';
import { WebhooksRepository } from './repositories/webhooks.repository';
import { TransactionRunner } from './transaction';

const REPOSITORIES = [
  TransactionRunner,
  UsersRepository,
  AuditRepository,
  AuditQueryRepository,
  AuditDigestRepository,
  OutboxRepository,
  LoginThrottleRepository,
  RefreshTokensRepository,
  ArticlesRepository,
  RevisionsRepository,
  ReviewersRepository,
  SignoffsRepository,
  CommentsRepository,
  ChecksRepository,
  PublicationsRepository,
  PublicationKeysRepository,
  WebhooksRepository,
  EditorialPolicyRepository,
  EvidenceAlertsRepository,
  NotificationsRepository,
  TasksRepository,
];

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // The pool connects as the application's role, not as DATABASE_URL's owner (see app-role.ts).
      useFactory: async (config: AppConfig) => {
        const logger = new Logger('Database');
        const connection = await provisionAppRole(
          { ownerUrl: config.databaseUrl, appUrl: config.appDatabase.url, appRole: config.appDatabase.role },
          (message) => logger.log(message),
        );
        if (connection.separated) {
          logger.log({ role: connection.role }, 'connected as a role that may only read and append to the audit log');
        } else {
          logger.warn(
            { role: connection.role, reason: connection.reason },
            'the audit log is protected by its triggers only: the application connects as a role that could disable them. Set APP_DATABASE_URL, or let the DATABASE_URL role create roles',
          );
        }
        return dataSourceOptions(connection.url);
      },
    }),
  ],
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SecretBox(config.secrets),
    },
    SecretsAtRest,
    ...REPOSITORIES,
  ],
  exports: [SecretBox, ...REPOSITORIES],
})
export class DatabaseModule {}
