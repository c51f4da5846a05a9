export * from './types';
export * from './identifiers';
export * from './crossref';
export * from './pubmed';
export * from './verdict';
