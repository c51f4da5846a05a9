import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describeChange } from '@imprimatur/domain/articles/significance';
import { describe, expect, it } from 'vitest';
import type { ChangeClass, ContentChange } from '../api/types';
import { ChangeSignificance } from './ChangeSignificance';

const show = (revision: number, changeClass: ChangeClass | null, changes: ContentChange[] = []) =>
  render(
    <MantineProvider>
      <ChangeSignificance revision={revision} changeClass={changeClass} changes={changes} />
    </MantineProvider>,
  );

describe('change significance', () => {
  it('names a clinical change, says it needs the full board, and gives each reason in words', () => {
    const dose: ContentChange = { kind: 'quantity', before: '75 mg/m²', after: '60 mg/m²' };
    const route: ContentChange = { kind: 'route', before: 'orally', after: 'by mouth', audience: 'patient' };
    show(2, 'clinical', [dose, route]);
    expect(screen.getByTestId('change-class').textContent).toBe('Clinical change');
    expect(screen.getByText('Clinical change: needs the full board.')).toBeTruthy();
    const reasons = within(screen.getByRole('list', { name: 'Why' }))
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    // The domain's words for each reason; one in an audience version says which.
    expect(reasons).toEqual([describeChange(dose), describeChange(route)]);
    expect(reasons[0]).toContain('75 mg/m²');
    expect(reasons[0]).toContain('60 mg/m²');
  });

  it('names an editorial change and what it means for a live article', () => {
    const wording: ContentChange = { kind: 'wording', before: 'colour', after: 'color' };
    show(4, 'editorial', [wording]);
    expect(screen.getByTestId('change-class').textContent).toBe('Editorial change');
    expect(screen.getByText('Editorial change: a live article’s editorial fix needs fewer approvals.')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Why' })).getByText(describeChange(wording))).toBeTruthy();
  });

  it('says an editorial revision with no change changed nothing', () => {
    show(4, 'editorial');
    expect(screen.getByText('Nothing in the text, references or versions changed.')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('revision 1 has no class: a full review', () => {
    show(1, null);
    expect(screen.getByTestId('change-class').textContent).toBe('First revision');
    expect(screen.getByText('First revision: full review.')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('a later revision without a class was written before classes: a full review too', () => {
    show(3, null);
    expect(screen.getByTestId('change-class').textContent).toBe('Not classified');
    expect(screen.getByText('Not classified (written before change classes): full review.')).toBeTruthy();
  });
});
