import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { SafeHttpClient } from '@imprimatur/outbound';
import { WEBHOOK_HTTP, WEBHOOK_USER_AGENT, WebhookDeliveries } from './delivery.service';
import { WebhookFanOut } from './fan-out.service';
import { WebhookRecovery } from './recovery.service';
import { WebhookSubscriptions } from './subscriptions.service';

/** The API's side: admin management of subscriptions. */
@Module({ providers: [WebhookSubscriptions], exports: [WebhookSubscriptions] })
export class WebhooksModule {}

/** The worker's side: fan-out of events, signed delivery through the SSRF-safe client, and recovery of lost jobs. */
@Module({
  providers: [
    {
      provide: WEBHOOK_HTTP,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new SafeHttpClient({
          allowHosts: config.outbound.allowHosts,
          timeoutMs: config.webhooks.timeoutMs,
          userAgent: WEBHOOK_USER_AGENT,
        }),
    },
    WebhookFanOut,
    WebhookDeliveries,
    WebhookRecovery,
  ],
  exports: [WebhookFanOut, WebhookDeliveries, WebhookRecovery],
})
export class WebhookDeliveryModule {}
