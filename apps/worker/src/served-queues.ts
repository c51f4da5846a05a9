import { HandlerRegistration, QueueName } from '@imprimatur/queue';
import { SystemProcessor } from './processors/system.processor';

/** Every processor of this build. */
export const PROCESSORS = [SystemProcessor];

export const REGISTRATIONS: HandlerRegistration[] = PROCESSORS.map((p) => ({ queue: p.queue, names: p.handles }));

/** The queues this build has processors for; the outbox relay moves only their jobs. */
export const SERVED_QUEUES: QueueName[] = [...new Set(REGISTRATIONS.map((r) => r.queue))];
