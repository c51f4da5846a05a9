export * from './errors';
export * from './users/roles';
export * from './audit/hash-chain';
export * from './pagination/cursor';
