export * from './notifications';
export * from './tasks';
