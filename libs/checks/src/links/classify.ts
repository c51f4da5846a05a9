import type { CheckStatus } from '@imprimatur/domain';
import type { OutboundFailure } from '@imprimatur/outbound';
import type { LinkKind } from './targets';

export const LINK_STATUSES = ['ok', 'redirected', 'broken', 'unverifiable', 'timeout', 'blocked', 'error'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export interface LinkResult {
  n: number;
  kind: LinkKind;
  url: string;
  status: LinkStatus;
  httpStatus: number | null;
  finalUrl: string | null;
  attempts: number;
  checkedAt: string;
  /** Why no answer was had (blocked, DNS, refused, TLS, ...): a safe code, never an address or a raw error. */
  code?: OutboundFailure;
  /** The fixed sentence of `code`, for people. */
  error?: string;
}

/** What one final answer means (contract §6); `retry` for answers worth asking again. */
export function classifyAnswer(
  kind: LinkKind,
  status: number,
  headers: Record<string, string>,
  permanentRedirect: boolean,
): LinkStatus | 'retry' {
  if (status >= 200 && status < 300) return kind === 'url' && permanentRedirect ? 'redirected' : 'ok';
  if (status === 404 || status === 410) return 'broken';
  // LinkedIn's 999 and Cloudflare's challenge pages answer bots, not the question whether the page exists.
  if (status === 999 || (status === 403 && headers['cf-mitigated'] !== undefined)) return 'unverifiable';
  if (status === 408 || status === 429 || (status >= 500 && status < 600)) return 'retry';
  return 'error';
}

/** What a retryable answer becomes once the retries are spent. */
export const exhausted = (status: number): LinkStatus => (status === 408 ? 'timeout' : 'error');

const FAILED: readonly LinkStatus[] = ['broken', 'timeout', 'error', 'blocked'];
const WARNING: readonly LinkStatus[] = ['redirected', 'unverifiable'];

/** The links check of a revision: any failed link fails it, warnings warn, no links pass. */
export function linksCheckStatus(results: readonly Pick<LinkResult, 'status'>[]): CheckStatus {
  if (results.some((r) => FAILED.includes(r.status))) return 'failed';
  if (results.some((r) => WARNING.includes(r.status))) return 'warning';
  return 'passed';
}

/** `Retry-After` in seconds or as an HTTP date, in ms from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | undefined, now: Date = new Date()): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * How long to wait before retry number `retry` (1-based): what the server asked for when it said
 * (capped), else exponential backoff with jitter (half fixed, half random).
 */
export function retryDelayMs(
  retry: number,
  options: { baseMs: number; maxRetryAfterMs: number; retryAfter: number | null; random?: () => number },
): number {
  if (options.retryAfter !== null) return Math.min(options.retryAfter, options.maxRetryAfterMs);
  const ceiling = options.baseMs * 2 ** (retry - 1);
  return Math.round(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2));
}
