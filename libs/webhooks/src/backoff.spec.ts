import { attemptOutcome, MAX_RETRY_DELAY_MS, retryDelayMs, RETRY_JITTER, STANDARD_RETRY_DELAYS_MS } from './backoff';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;

describe('webhook retry schedule', () => {
  describe('default: the Standard Webhooks example schedule', () => {
    it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h after failures 1..9 (no jitter at the midpoint)', () => {
      const middle = () => 0.5;
      expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(n, null, middle))).toEqual([
        5 * S,
        5 * M,
        30 * M,
        2 * H,
        5 * H,
        10 * H,
        14 * H,
        20 * H,
        24 * H,
      ]);
    });

    it('keeps 24 h for any failure after the ninth', () => {
      expect(retryDelayMs(10, null, () => 0.5)).toBe(24 * H);
      expect(retryDelayMs(99, null, () => 0.5)).toBe(24 * H);
    });

    it('spreads each delay by at most ±10 %', () => {
      STANDARD_RETRY_DELAYS_MS.forEach((base, i) => {
        const low = retryDelayMs(i + 1, null, () => 0);
        const high = retryDelayMs(i + 1, null, () => 0.999_999_999);
        expect(low).toBe(Math.round(base * (1 - RETRY_JITTER)));
        expect(high).toBeLessThanOrEqual(Math.round(base * (1 + RETRY_JITTER)));
        expect(high).toBeGreaterThan(Math.round(base * (1 + RETRY_JITTER)) - 2);
      });
    });

    it('stays within the bounds with real randomness', () => {
      for (let i = 0; i < 1_000; i++) {
        const failed = 1 + (i % 12);
        const base = STANDARD_RETRY_DELAYS_MS[Math.min(failed, 9) - 1];
        const delay = retryDelayMs(failed, null);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * 0.9));
        expect(delay).toBeLessThanOrEqual(Math.ceil(base * 1.1));
      }
    });

    it('clamps a misbehaving random source into the bounds', () => {
      expect(retryDelayMs(1, null, () => -3)).toBe(4_500);
      expect(retryDelayMs(1, null, () => 7)).toBe(5_500);
    });
  });

  describe('WEBHOOK_BACKOFF_MS set: first retry after it, doubling', () => {
    it('doubles exactly, without jitter', () => {
      const random = jest.fn(() => 0.3);
      expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 100, random))).toEqual([100, 200, 400, 800, 1_600]);
      expect(random).not.toHaveBeenCalled();
    });

    it('never waits more than 24 h, even after very many failures', () => {
      expect(retryDelayMs(30, 1_000)).toBe(MAX_RETRY_DELAY_MS);
      expect(retryDelayMs(100, 1_000)).toBe(MAX_RETRY_DELAY_MS);
      expect(Number.isFinite(retryDelayMs(2_000, 1))).toBe(true);
    });
  });

  it('refuses a failure count below 1', () => {
    expect(() => retryDelayMs(0, null)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5, 100)).toThrow(RangeError);
  });
});

describe('attempt outcome', () => {
  it('is delivered on any 2xx', () => {
    for (const status of [200, 201, 202, 204, 299]) expect(attemptOutcome(status, 1, 3)).toBe('delivered');
    expect(attemptOutcome(200, 3, 3)).toBe('delivered');
  });

  it('disables on 410, whatever the attempt', () => {
    expect(attemptOutcome(410, 1, 3)).toBe('disabled');
    expect(attemptOutcome(410, 3, 3)).toBe('disabled');
  });

  it('retries anything else while attempts remain, then fails', () => {
    for (const status of [null, 100, 301, 304, 400, 404, 429, 500, 503]) {
      expect(attemptOutcome(status, 1, 3)).toBe('retrying');
      expect(attemptOutcome(status, 2, 3)).toBe('retrying');
      expect(attemptOutcome(status, 3, 3)).toBe('failed');
    }
    expect(attemptOutcome(500, 1, 1)).toBe('failed');
  });
});
