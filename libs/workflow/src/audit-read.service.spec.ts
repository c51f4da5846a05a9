import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AuditEntry, chainEntry, GENESIS_HASH } from '@imprimatur/domain';
import { AuditQueryRepository, TransactionRunner } from '@imprimatur/database';
import { AUDIT_CSV_COLUMNS, AuditReadService } from './audit-read.service';

function chain(length: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const entry = chainEntry(prev, {
      seq,
      at: new Date(Date.UTC(2026, 10, 28, 0, 0, 0, seq)).toISOString(),
      actor: null,
      action: 'user.created',
      entityType: 'user',
      entityId: `u${seq}`,
      articleId: null,
      data: { note: seq === 2 ? 'a, "b"\nc' : `n${seq}` },
    });
    entries.push(entry);
    prev = entry.hash;
  }
  return entries;
}

/** The fake repository ignores where its statements would run. */
const runner = { autocommit: {} } as unknown as TransactionRunner;

/** An in-memory log that counts the range queries made against it. */
function fakeRepository(entries: AuditEntry[]) {
  const calls: [number, number, number][] = [];
  const repo = {
    calls,
    headSeq: async () => entries.reduce((max, e) => Math.max(max, e.seq), 0),
    range: async (after: number, upTo: number, limit: number) => {
      calls.push([after, upTo, limit]);
      return entries.filter((e) => e.seq > after && e.seq <= upTo).slice(0, limit);
    },
  };
  return repo;
}

const serviceOver = (entries: AuditEntry[]) => {
  const repo = fakeRepository(entries);
  return { repo, service: new AuditReadService(repo as unknown as AuditQueryRepository, runner) };
};

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  await pipeline(
    stream,
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
  );
  return text;
}

describe('AuditReadService', () => {
  it('reads the chain in batches by seq up to the head it saw first', async () => {
    const { repo, service } = serviceOver(chain(10));
    const batches: number[][] = [];
    for await (const batch of service.batches(4)) batches.push(batch.map((e) => e.seq));
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(repo.calls).toEqual([
      [0, 10, 4],
      [4, 10, 4],
      [8, 10, 4],
    ]);
  });

  it('verifies across batch boundaries and stops reading at the first break', async () => {
    expect(await serviceOver(chain(10)).service.verify(3)).toMatchObject({ valid: true, entries: 10 });
    const broken = chain(10);
    broken[1] = { ...broken[1], data: { note: 'edited' } };
    const { repo, service } = serviceOver(broken);
    expect(await service.verify(3)).toEqual({ valid: false, brokenAt: 2, entries: 1 });
    // the first batch and at most the one prefetched beside it
    expect(repo.calls.length).toBeLessThanOrEqual(2);
    const gap = chain(10).filter((e) => e.seq !== 7);
    expect(await serviceOver(gap).service.verify(3)).toEqual({ valid: false, brokenAt: 7, entries: 6 });
    expect(await serviceOver([]).service.verify(3)).toEqual({ valid: true, entries: 0, head: GENESIS_HASH });
  });

  it('exports CSV with a header and quoted fields', async () => {
    const entries = chain(3);
    const file = serviceOver(entries).service.export('csv', new Date('2026-11-28T10:00:00Z'));
    expect(file.filename).toBe('audit-2026-11-28.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    const lines = (await collect(file.stream)).split('\n');
    expect(lines[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    expect(lines[2]).toContain(`,"{""note"":""a, \\""b\\""\\nc""}",`);
  });

  it('exports an empty log as a header alone, and JSONL as nothing', async () => {
    expect(await collect(serviceOver([]).service.export('csv').stream)).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\n`);
    expect(await collect(serviceOver([]).service.export('jsonl').stream)).toBe('');
  });

  it('reads no further than the client has taken (backpressure)', async () => {
    // Exports do not check hashes, so a cheap copy of one entry will do.
    const [template] = chain(1);
    const { repo, service } = serviceOver(Array.from({ length: 40_000 }, (_, i) => ({ ...template, seq: i + 1 })));
    const file = service.export('jsonl');
    const first = await new Promise<Buffer>((resolve) => file.stream.once('data', resolve));
    file.stream.pause();
    expect(first.toString().startsWith('{"seq":1,')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 40,000 entries are 8 batches; a paused reader holds the stream at one or two of them.
    expect(repo.calls.length).toBeLessThanOrEqual(2);
    file.stream.destroy();
  });
});

describe('AuditReadService CSV export neutralises formula cells (OWASP)', () => {
  const entry = (email: string, entityId: string | null = null): AuditEntry =>
    chainEntry(GENESIS_HASH, {
      seq: 1,
      at: '2026-11-28T12:00:00.000Z',
      actor: { id: '00000000-0000-4000-8000-000000000001', email },
      action: 'auth.login',
      entityType: 'user',
      entityId,
      articleId: null,
      data: { note: '=1+1' },
    });
  const csvOf = async (e: AuditEntry) => {
    const service = new AuditReadService(fakeRepository([e]) as unknown as AuditQueryRepository, runner);
    let text = '';
    await pipeline(
      service.export('csv').stream,
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString();
          done();
        },
      }),
    );
    return text.split('\n');
  };

  it.each([
    ['=', '=HYPERLINK("http://x")@example.org'],
    ['+', '+1-555@example.org'],
    ['-', '-2+3@example.org'],
    ['@', '@SUM(A1)'],
    ['a tab', '\t=cmd'],
    ['a carriage return', '\r=cmd'],
  ])('prefixes a cell that starts with %s with a single quote', async (_, value) => {
    const [header, row] = await csvOf(entry(value));
    expect(header).toBe(AUDIT_CSV_COLUMNS.join(','));
    const expected = `'${value}`;
    expect(row).toContain(/[",\r\n]/.test(value) ? `,"${expected.replace(/"/g, '""')}",` : `,${expected},`);
  });

  it('leaves other cells alone: a leading quote, letters, numbers, and JSON data', async () => {
    const [, row] = await csvOf(entry("o'brien@example.org", "'quoted"));
    expect(row.startsWith('1,2026-11-28T12:00:00.000Z,')).toBe(true);
    expect(row).toContain(",o'brien@example.org,auth.login,user,'quoted,,");
    expect(row).toContain(',"{""note"":""=1+1""}",');
  });
});
