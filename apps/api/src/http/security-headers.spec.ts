import { API_POLICY, DOCS_POLICY, formatPolicy, policyFor, READER_POLICY } from './security-headers';

describe('security headers', () => {
  it('picks the content security policy by path', () => {
    expect(policyFor('/read')).toBe(READER_POLICY);
    expect(policyFor('/read/:slug')).toBe(READER_POLICY);
    expect(policyFor('/reader')).toBe(API_POLICY);
    expect(policyFor('/docs')).toBe(DOCS_POLICY);
    expect(policyFor('/docs/*')).toBe(DOCS_POLICY);
    expect(policyFor('/articles/:id')).toBe(API_POLICY);
    for (const policy of [API_POLICY, READER_POLICY, DOCS_POLICY])
      expect(formatPolicy(policy)).toContain("frame-ancestors 'none'");
    expect(formatPolicy(READER_POLICY)).toContain("script-src 'none'");
  });
});
