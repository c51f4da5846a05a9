import { HandlerRegistration, QueueName } from '@imprimatur/queue';
import { AuditProcessor } from './processors/audit.processor';
import { ChecksProcessor } from './processors/checks.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { PublishingProcessor } from './processors/publishing.processor';
import { SystemProcessor } from './processors/system.processor';
import { WebhooksProcessor } from './processors/webhooks.processor';

/** Every processor of this build. */
export const PROCESSORS = [SystemProcessor, ChecksProcessor, MaintenanceProcessor, PublishingProcessor, WebhooksProcessor, AuditProcessor];

export const REGISTRATIONS: HandlerRegistration[] = PROCESSORS.map((p) => ({ queue: p.queue, names: p.handles }));

/** The queues this build has processors for; the outbox relay moves only their jobs. */
export const SERVED_QUEUES: QueueName[] = [...new Set(REGISTRATIONS.map((r) => r.queue))];
