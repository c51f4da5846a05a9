import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { eventBody, newWebhookSecret, signedHeaders } from './signing';

describe('webhook signing', () => {
  it('makes whsec_ secrets of 32 random bytes in base64, different each time', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('wraps an event as {type, timestamp, data} with an ISO timestamp', () => {
    const body = eventBody('article.published', new Date('2026-11-28T10:00:00.123Z'), { slug: 'a' });
    expect(JSON.parse(body)).toEqual({
      type: 'article.published',
      timestamp: '2026-11-28T10:00:00.123Z',
      data: { slug: 'a' },
    });
    expect(Object.keys(JSON.parse(body) as object)).toEqual(['type', 'timestamp', 'data']);
  });

  it('signs so that the standardwebhooks library verifies it', () => {
    const secret = newWebhookSecret();
    const body = eventBody('article.review_due', new Date(), { articleId: 'x' });
    const now = new Date();
    const headers = signedHeaders(secret, 'msg_1', body, now);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('fails verification with another secret, another body or another id', () => {
    const secret = newWebhookSecret();
    const body = eventBody('article.published', new Date(), { n: 1 });
    const headers = signedHeaders(secret, 'msg_1', body, new Date());
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body.replace('1', '2'), headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow(
      WebhookVerificationError,
    );
  });

  it('signs each attempt for its own time, with the same id', () => {
    const secret = newWebhookSecret();
    const body = eventBody('article.published', new Date(), {});
    const first = signedHeaders(secret, 'msg_same', body, new Date('2026-01-01T00:00:00Z'));
    const later = signedHeaders(secret, 'msg_same', body, new Date('2026-01-01T00:00:05Z'));
    expect(later['webhook-id']).toBe(first['webhook-id']);
    expect(later['webhook-signature']).not.toBe(first['webhook-signature']);
  });
});
