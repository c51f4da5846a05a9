export * from './document';
export * from './audiences';
export * from './editorial-policy.service';
export * from './attestation';
export * from './signing-keys.service';
export * from './publishing.service';
export * from './public-reader.service';
export * from './publishing.module';
