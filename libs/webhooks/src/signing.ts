import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Bytes of randomness in a subscription's secret (Standard Webhooks asks for 24 to 64). */
export const SECRET_BYTES = 32;
export const SECRET_PREFIX = 'whsec_';

/** A fresh signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

export interface WebhookEventEnvelope<T = unknown> {
  type: string;
  timestamp: string;
  data: T;
}

/** The body every delivery of an event sends: `{type, timestamp, data}` with the event's time in ISO-8601 UTC. */
export function eventBody<T>(type: string, occurredAt: Date, data: T): string {
  const envelope: WebhookEventEnvelope<T> = { type, timestamp: occurredAt.toISOString(), data };
  return JSON.stringify(envelope);
}

/**
 * The headers of one attempt, signed per Standard Webhooks: the signature covers
 * `${webhook-id}.${webhook-timestamp}.${body}` with HMAC-SHA256 under the subscription's secret.
 */
export function signedHeaders(secret: string, messageId: string, body: string, at: Date): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}
