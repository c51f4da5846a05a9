export * from './views';
export * from './access';
export * from './approval.service';
export * from './articles.service';
export * from './checks.service';
export * from './comments.service';
export * from './review.service';
export * from './workflow.module';
