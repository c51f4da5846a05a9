import { HandlerRegistration, QueueName } from '@imprimatur/queue';
import { AuditProcessor } from './processors/audit.processor';
import { CatalogueProcessor, queueOf } from './processors/catalogue.processor';
import { ChecksProcessor } from './processors/checks.processor';
import { MailProcessor } from './processors/mail.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { PublishingProcessor } from './processors/publishing.processor';
import { SystemProcessor } from './processors/system.processor';
import { WebhooksProcessor } from './processors/webhooks.processor';

/** Every processor of this build. */
export const PROCESSORS = [
  SystemProcessor,
  ChecksProcessor,
  MaintenanceProcessor,
  PublishingProcessor,
  WebhooksProcessor,
  AuditProcessor,
  MailProcessor,
];

/** The queues this build has processors for (from each class's `@CatalogueQueue`); the outbox relay moves only their jobs. */
export const SERVED_QUEUES: QueueName[] = [...new Set(PROCESSORS.map(queueOf))];

/** What the processors handle, read off their handler maps: the worker checks it at start (wiringProblems). */
export function registrationsOf(processors: readonly CatalogueProcessor<QueueName>[]): HandlerRegistration[] {
  return processors.map((processor) => ({
    queue: queueOf(processor.constructor as abstract new () => unknown),
    names: processor.handledJobs(),
  }));
}
