export * from './links/targets';
export * from './links/classify';
export * from './links/link-checker';
export * from './links-check.service';
export * from './review-due.service';
export * from './checks.module';
export * from './retention.service';
