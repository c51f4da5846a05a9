/**
 * The latest `at` of the audit log up to each block of `blockSize` seqs, to start a `since` page
 * near its first entry. `at` rises with seq almost always, but not by rule (entries from before the
 * append took its time under the lock, a clock set back), so the first entry at or after an instant
 * cannot simply be looked up by time. The latest `at` up to a block never falls from one block to
 * the next, though, and every entry in a block whose running latest is earlier than the instant is
 * earlier too: the first entry at or after the instant lies in the first block whose running latest
 * is not, or after everything folded in so far.
 *
 * Folding in is incremental (the entries after `seenUpTo`), and the answer stays a true lower bound
 * whatever has been appended since: entries are appended at the end of the chain.
 */
export class AuditTimeline {
  /** latest[b]: the greatest `at` (epoch ms, rounded up) of block b, the seqs b * blockSize … b * blockSize + blockSize - 1. */
  private readonly latest: number[] = [];
  /** The running greatest of `latest`, block by block; rebuilt after a fold. */
  private running: Float64Array | null = null;
  private seen = 0;

  constructor(readonly blockSize = 512) {
    if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new RangeError('blockSize must be a whole number ≥ 1');
  }

  /** The highest seq folded in so far (0 before any). */
  get seenUpTo(): number {
    return this.seen;
  }

  /** Folds in entries of `block` not folded in before: the greatest of their `at` and of their seq. */
  fold(block: number, latestAt: number, lastSeq: number): void {
    const before = this.latest[block];
    if (before === undefined || latestAt > before) this.latest[block] = latestAt;
    this.seen = Math.max(this.seen, lastSeq);
    this.running = null;
  }

  /** The lowest seq that an entry with `at >= since` (epoch ms) can have. */
  lowestSeqFrom(since: number): number {
    const running = (this.running ??= this.accumulate());
    // The first block whose running latest is at or after the instant.
    let lo = 0;
    let hi = running.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (running[mid] >= since) hi = mid;
      else lo = mid + 1;
    }
    return lo < running.length ? lo * this.blockSize : this.seen + 1;
  }

  private accumulate(): Float64Array {
    const running = new Float64Array(this.latest.length);
    let latest = -Infinity;
    for (let b = 0; b < this.latest.length; b++) {
      latest = Math.max(latest, this.latest[b] ?? -Infinity);
      running[b] = latest;
    }
    return running;
  }
}
