export * from './jobs';
export * from './job-options';
export * from './connection';
export * from './outbox.service';
export * from './queue.module';
