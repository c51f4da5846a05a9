import { describe, expect, it } from 'vitest';
import type { Article, Signoff } from '../api/types';
import { REVIEWER } from '../test/render';
import { bucketOf } from './ReviewerQueue';

const article = (state: Article['state'], signoffs: Partial<Signoff>[] = [], currentRevision = 2) =>
  ({ state, currentRevision, signoffs: signoffs as Signoff[], reviewers: [] }) as unknown as Article;

describe('reviewer queue buckets', () => {
  it('is my turn when the article waits for a start or for my sign-off on the current revision', () => {
    expect(bucketOf(article('submitted'), REVIEWER)).toBe('your-turn');
    expect(bucketOf(article('under_review'), REVIEWER)).toBe('your-turn');
    expect(bucketOf(article('under_review', [{ reviewerId: 'someone-else', revision: 2 }]), REVIEWER)).toBe(
      'your-turn',
    );
  });

  it('is done once I signed off the current revision, or the article is approved or archived', () => {
    expect(
      bucketOf(article('under_review', [{ reviewerId: REVIEWER.id, revision: 2, decision: 'approve' }]), REVIEWER),
    ).toBe('done');
    expect(bucketOf(article('approved'), REVIEWER)).toBe('done');
    expect(bucketOf(article('archived'), REVIEWER)).toBe('done');
  });

  it('waits on the editor while the article is back in draft or has changes requested', () => {
    expect(bucketOf(article('changes_requested'), REVIEWER)).toBe('waiting');
    expect(bucketOf(article('draft'), REVIEWER)).toBe('waiting');
  });
});
