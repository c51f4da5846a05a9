import type { Article } from '../api/types';

/** Every check of an article's summary with one status: what most screens' fixtures need. */
export const allChecks = (status: Article['checks']['citations'] = 'passed'): Article['checks'] => ({
  citations: status,
  links: status,
  staleness: status,
  readability: status,
  consistency: status,
  evidence: status,
});
