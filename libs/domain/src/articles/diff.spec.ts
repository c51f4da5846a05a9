import type { Reference } from './content';
import { diffReferences } from './diff';

const ref = (title: string, extra: Partial<Reference> = {}): Reference => ({
  type: 'research',
  title,
  source: null,
  year: 2020,
  url: `https://x.test/${title}`,
  doi: null,
  pmid: null,
  ...extra,
});

describe('diffReferences', () => {
  it('finds nothing between equal lists', () => {
    expect(diffReferences([ref('a'), ref('b')], [ref('a'), ref('b')])).toEqual({ added: [], removed: [], changed: [] });
  });

  it('reports added and removed references by number', () => {
    expect(diffReferences([ref('a')], [ref('a'), ref('b')])).toEqual({
      added: [{ n: 2, ...ref('b') }],
      removed: [],
      changed: [],
    });
    expect(diffReferences([ref('a'), ref('b')], [ref('a')])).toEqual({
      added: [],
      removed: [{ n: 2, ...ref('b') }],
      changed: [],
    });
  });

  it('reports changed references with only the fields that differ', () => {
    const result = diffReferences([ref('a'), ref('b')], [ref('a', { year: 2024, doi: '10.1/x' }), ref('b')]);
    expect(result.changed).toEqual([{ n: 1, before: { year: 2020, doi: null }, after: { year: 2024, doi: '10.1/x' } }]);
  });
});
