export * from './logging';
export * from './boot';
