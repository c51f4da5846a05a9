import { findAnchor } from '@imprimatur/domain/articles/anchor';
import { describe, expect, it } from 'vitest';
import { locateQuote } from './anchor';

const BODY =
  'Surgery is the main treatment [1]. Radiotherapy **may help** after surgery. Surgery is the main treatment for many.';

describe('locateQuote', () => {
  it('gives the quote with prefix and suffix, which the shared findAnchor locates at the chosen occurrence', () => {
    const second = locateQuote(BODY, 'Surgery is the main treatment', 1);
    expect(second).not.toBeNull();
    expect(second?.quote).toBe('Surgery is the main treatment');
    expect(second?.suffix).toBe(' for many.');
    const found = findAnchor(BODY, second!);
    expect(found?.start).toBe(BODY.lastIndexOf('Surgery is the main treatment'));
  });

  it('finds a rendered quote across emphasis marks, quoting the Markdown', () => {
    const anchor = locateQuote(BODY, 'Radiotherapy may help after');
    expect(anchor?.quote).toBe('Radiotherapy **may help** after');
    expect(findAnchor(BODY, anchor!)).not.toBeNull();
  });

  it('answers null for text that is not in the body', () => {
    expect(locateQuote(BODY, 'chemotherapy')).toBeNull();
    expect(locateQuote(BODY, '   ')).toBeNull();
  });
});
