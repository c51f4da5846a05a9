// Webhooks (contract §8): subscriptions, fan-out of events, signed delivery with retries.
export * from './backoff';
export * from './signing';
export * from './job-ref';
export * from './url';
export * from './subscriptions.service';
export * from './fan-out.service';
export * from './delivery.service';
export * from './recovery.service';
export * from './webhooks.module';
