export * from './document';
export * from './render';
export * from './publishing.service';
export * from './public-reader.service';
export * from './publishing.module';
