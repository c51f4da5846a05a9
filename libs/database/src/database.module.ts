import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { dataSourceOptions } from './data-source';
import { ArticlesRepository } from './repositories/articles.repository';
import { AuditRepository } from './repositories/audit.repository';
import { AuditQueryRepository } from './repositories/audit-query.repository';
import { ChecksRepository } from './repositories/checks.repository';
import { CommentsRepository } from './repositories/comments.repository';
import { LoginThrottleRepository } from './repositories/login-throttle.repository';
import { OutboxRepository } from './repositories/outbox.repository';
import { PublicationsRepository } from './repositories/publications.repository';
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
  OutboxRepository,
  LoginThrottleRepository,
  ArticlesRepository,
  RevisionsRepository,
  ReviewersRepository,
  SignoffsRepository,
  CommentsRepository,
  ChecksRepository,
  PublicationsRepository,
  WebhooksRepository,
];

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config.databaseUrl),
    }),
  ],
  providers: REPOSITORIES,
  exports: REPOSITORIES,
})
export class DatabaseModule {}
