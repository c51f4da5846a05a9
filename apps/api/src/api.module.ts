import { createSecretKey } from 'node:crypto';
import { EvidenceModule } from '@imprimatur/checks';
import { ReferencesController } from './references/references.controller';
import { BoardController } from './board/board.controller';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppConfig, AppConfigModule } from '@imprimatur/config';
import { DatabaseModule } from '@imprimatur/database';
import { loggingModule } from '@imprimatur/platform';
import { OutboxModule } from '@imprimatur/queue';
import { WebhooksModule } from '@imprimatur/webhooks';
import { WorkflowModule } from '@imprimatur/workflow';
import { ArticlesController } from './articles/articles.controller';
import { ChecksController } from './articles/checks.controller';
import { CommentsController } from './articles/comments.controller';
import { ReviewController } from './articles/review.controller';
import { UnpublishController } from './articles/unpublish.controller';
import { HistoryController } from './articles/history.controller';
import { JwksController } from './public/jwks.controller';
import { LiveChanges } from './public/live-changes.service';
import { PublicController } from './public/public.controller';
import { ReaderController } from './reader/reader.controller';
import { PublishingModule } from '@imprimatur/publishing';
import { EditorialPolicyController } from './admin/editorial-policy.controller';
import { PublicationKeysController } from './admin/publication-keys.controller';
import { AuditController } from './audit/audit.controller';
import { AuditIntegrityService } from './audit/audit-integrity.service';
import { AdminBootstrapService } from './auth/admin-bootstrap.service';
import { AuthController } from './auth/auth.controller';
import { AuthService, PasswordAttempts } from './auth/auth.service';
import { PasswordsService } from './auth/passwords.service';
import { Reauthentication } from './auth/reauthentication.service';
import { HealthController } from './health/health.controller';
import { RedisHealthIndicator } from './health/redis.health';
import { AuthGuard } from './http/auth.guard';
import { ErrorFilter } from './http/error.filter';
import { MeController, UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { perClientKey, SharedThrottlerStorage, SharedThrottlerStorageModule } from './http/throttler-storage';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    const rateLimit = config.rateLimitPerMinute;
    // Guards run in this order: the general rate limit (when set) before authentication.
    const guards: Provider[] = [
      ...(rateLimit ? [{ provide: APP_GUARD, useClass: ThrottlerGuard }] : []),
      { provide: APP_GUARD, useClass: AuthGuard },
    ];
    return {
      module: ApiModule,
      imports: [
        AppConfigModule.forRoot(config),
        loggingModule(config, 'api'),
        DatabaseModule,
        OutboxModule,
        WorkflowModule,
        PublishingModule,
        WebhooksModule,
        EvidenceModule.register({ redis: 'producer' }),
        TerminusModule.forRoot({ logger: false }),
        JwtModule.register({
          // A KeyObject, not the string: given a string, jsonwebtoken first tries to read it as a
          // public key and throws, on every verify (~0.8 ms of CPU per signed-in request).
          secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
          signOptions: { algorithm: 'HS256', expiresIn: config.jwt.ttlSeconds },
          verifyOptions: { algorithms: ['HS256'] },
        }),
        ...(rateLimit
          ? [
              ThrottlerModule.forRootAsync({
                imports: [SharedThrottlerStorageModule],
                inject: [SharedThrottlerStorage],
                useFactory: (storage: SharedThrottlerStorage) => ({
                  throttlers: [{ ttl: 60_000, limit: rateLimit }],
                  generateKey: perClientKey,
                  storage,
                }),
              }),
            ]
          : []),
      ],
      controllers: [
        AuthController,
        UsersController,
        MeController,
        ArticlesController,
        ReviewController,
        CommentsController,
        ChecksController,
        ReferencesController,
        BoardController,
        UnpublishController,
        HistoryController,
        PublicController,
        JwksController,
        ReaderController,
        AuditController,
        PublicationKeysController,
        EditorialPolicyController,
        WebhooksController,
        HealthController,
      ],
      providers: [
        ...guards,
        { provide: APP_FILTER, useClass: ErrorFilter },
        PasswordsService,
        PasswordAttempts,
        Reauthentication,
        AuthService,
        UsersService,
        AdminBootstrapService,
        RedisHealthIndicator,
        AuditIntegrityService,
        LiveChanges,
      ],
    };
  }
}
