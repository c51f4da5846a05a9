import { AuditEntryContent, canonicalEntry } from '@imprimatur/domain';
import { canonicalParts } from './audit.repository';

describe('canonicalParts', () => {
  const contents: Array<Omit<AuditEntryContent, 'seq' | 'at'>> = [
    { actor: null, action: 'a', entityType: 't', entityId: null, articleId: null, data: {} },
    {
      actor: { id: '5d3c1b2a-0000-4000-8000-000000000001', email: 'dr.o\'neil+"at"@example.org' },
      action: ',"at":"",',
      entityType: '"seq":0}',
      entityId: 'x,"at":"","data":',
      articleId: '5d3c1b2a-0000-4000-8000-000000000002',
      data: { at: '', seq: 0, nested: [{ '"at"': ',"at":""' }], text: 'é 🩺 \u2028' },
    },
  ];

  it.each(contents.map((c, i) => [i, c]))('rebuilds canonicalEntry around at and seq (case %i)', (_i, content) => {
    const { head, tail } = canonicalParts(content);
    for (const [seq, at] of [
      [1, '2026-12-03T16:10:00.123Z'],
      [9_007_199_254_740, '0001-01-01T00:00:00.000Z'],
    ] as const) {
      expect(head + JSON.stringify(at) + tail + String(seq) + '}').toBe(canonicalEntry({ ...content, seq, at }));
    }
    expect(head.endsWith('"at":')).toBe(true);
    expect(tail.endsWith('"seq":')).toBe(true);
  });
});
