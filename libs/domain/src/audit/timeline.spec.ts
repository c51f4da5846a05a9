import { AuditTimeline } from './timeline';

/** A pseudo-random log: `at` mostly rising, sometimes going back or jumping ahead, seqs from 1 with optional gaps. */
function randomLog(seed: number, length: number, gaps: boolean): { seq: number; at: number }[] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const log: { seq: number; at: number }[] = [];
  let seq = 0;
  let at = 1_700_000_000_000;
  for (let i = 0; i < length; i++) {
    seq += gaps && next() < 0.1 ? 2 + Math.floor(next() * 20) : 1;
    const r = next();
    at += r < 0.05 ? -Math.floor(next() * 5_000) : r < 0.07 ? Math.floor(next() * 50_000) : Math.floor(next() * 30);
    log.push({ seq, at });
  }
  return log;
}

/** Folds entries as the repository does: the greatest `at` and seq per block. */
function foldAll(timeline: AuditTimeline, entries: { seq: number; at: number }[]) {
  const blocks = new Map<number, { latest: number; last: number }>();
  for (const { seq, at } of entries) {
    const block = Math.floor(seq / timeline.blockSize);
    const b = blocks.get(block);
    blocks.set(block, { latest: Math.max(b?.latest ?? -Infinity, at), last: Math.max(b?.last ?? 0, seq) });
  }
  for (const [block, { latest, last }] of blocks) timeline.fold(block, latest, last);
}

describe('AuditTimeline', () => {
  it.each([
    [1, 1, false],
    [2, 7, false],
    [3, 64, true],
    [4, 512, false],
  ])('never bounds above the first entry at or after an instant (seed %i, blocks of %i)', (seed, blockSize, gaps) => {
    const log = randomLog(seed, 3_000, gaps);
    // Folded in three parts, as a process catches up with appends.
    const timeline = new AuditTimeline(blockSize);
    foldAll(timeline, log.slice(0, 1_000));
    foldAll(timeline, log.slice(1_000, 1_001));
    foldAll(timeline, log.slice(1_001, 2_000));
    const seen = log[1_999].seq;
    expect(timeline.seenUpTo).toBe(seen);
    const instants = [...log.map((e) => e.at), ...log.map((e) => e.at + 1), -Infinity, Infinity];
    for (const since of instants) {
      const bound = timeline.lowestSeqFrom(since);
      const first = log.find((e) => e.at >= since);
      if (first) expect(bound).toBeLessThanOrEqual(first.seq);
      // Tight: from the bound to the first match, only its block's worth of entries folded in, or the
      // entries not folded in yet.
      if (first && first.seq <= seen && Number.isFinite(since)) expect(first.seq - bound).toBeLessThan(blockSize);
      if (!first || first.seq > seen) expect(bound).toBeLessThanOrEqual(seen + 1);
    }
  });

  it('answers after everything folded in when no entry is at or after the instant, and 1 for an empty log', () => {
    const timeline = new AuditTimeline(4);
    expect(timeline.lowestSeqFrom(0)).toBe(1);
    timeline.fold(0, 100, 3);
    timeline.fold(1, 90, 6);
    expect(timeline.lowestSeqFrom(101)).toBe(7);
    expect(timeline.lowestSeqFrom(100)).toBe(0);
    expect(timeline.lowestSeqFrom(-Infinity)).toBe(0);
    // A later fold of the same block keeps the greater time.
    timeline.fold(1, 150, 7);
    timeline.fold(1, 120, 7);
    expect(timeline.lowestSeqFrom(101)).toBe(4);
    expect(timeline.lowestSeqFrom(151)).toBe(8);
  });

  it('takes infinite times as they come, and refuses a block size that is not a whole number ≥ 1', () => {
    const timeline = new AuditTimeline(2);
    timeline.fold(0, -Infinity, 1);
    timeline.fold(3, Infinity, 7);
    expect(timeline.lowestSeqFrom(0)).toBe(6);
    expect(timeline.lowestSeqFrom(Infinity)).toBe(6);
    expect(() => new AuditTimeline(0)).toThrow(RangeError);
    expect(() => new AuditTimeline(1.5)).toThrow(RangeError);
  });
});
