export * from './data-source';
export * from './database.module';
export * from './transaction';
export * from './repositories/users.repository';
export * from './repositories/audit.repository';
export * from './repositories/outbox.repository';
export * from './repositories/login-throttle.repository';
