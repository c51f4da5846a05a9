import { isWebhookUrl } from './url';

describe('webhook URL', () => {
  it('accepts absolute http and https URLs', () => {
    for (const url of [
      'https://hooks.example.org/imprimatur',
      'http://127.0.0.1:8080/in?x=1',
      'https://[2001:db8::1]/hook',
      'HTTPS://EXAMPLE.ORG',
    ]) {
      expect(isWebhookUrl(url)).toBe(true);
    }
  });

  it('refuses other schemes, relative or malformed URLs, credentials and non-strings', () => {
    for (const url of [
      'ftp://example.org/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:,x',
      '/relative',
      'example.org/hook',
      'http://',
      'https://user:pw@example.org/',
      'https://user@example.org/',
      '',
      ' https://example.org',
      42,
      null,
      undefined,
    ]) {
      expect(isWebhookUrl(url)).toBe(false);
    }
  });

  it('allows at most 2048 characters', () => {
    const base = 'https://example.org/';
    expect(isWebhookUrl(base + 'a'.repeat(2048 - base.length))).toBe(true);
    expect(isWebhookUrl(base + 'a'.repeat(2049 - base.length))).toBe(false);
  });
});
