export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Whether a subscriber's URL can be delivered to at all: an absolute http or https URL of at most
 * 2048 characters, with a host and no credentials (the SSRF-safe client refuses those). Whether its
 * address may be reached is decided per attempt, by the client's allow list.
 */
export function isWebhookUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_WEBHOOK_URL_LENGTH) return false;
  if (value.trim() !== value) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.hostname !== '' &&
    url.username === '' &&
    url.password === ''
  );
}
