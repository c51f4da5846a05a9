import { describe, expect, it } from 'vitest';
import type { Article, Signoff } from '../api/types';
import { aSignoff, REVIEWER } from '../test/render';
import { bucketOf } from './ReviewerQueue';

const article = (state: Article['state'], signoffs: Signoff[] = [], currentRevision = 2) =>
  ({ state, currentRevision, signoffs, reviewers: [] }) as unknown as Article;
const by = (id: string) => aSignoff({ reviewer: { id, name: 'Dr Someone', credentials: null }, revision: 2 });

describe('reviewer queue buckets', () => {
  it('is my turn when the article waits for a start or for my sign-off on the current revision', () => {
    expect(bucketOf(article('submitted'), REVIEWER)).toBe('your-turn');
    expect(bucketOf(article('under_review'), REVIEWER)).toBe('your-turn');
    expect(bucketOf(article('under_review', [by('someone-else')]), REVIEWER)).toBe('your-turn');
  });

  it('is done once I signed off the current revision, or the article is approved or archived', () => {
    expect(bucketOf(article('under_review', [by(REVIEWER.id)]), REVIEWER)).toBe('done');
    expect(bucketOf(article('approved'), REVIEWER)).toBe('done');
    expect(bucketOf(article('archived'), REVIEWER)).toBe('done');
  });

  it('waits on the editor while the article is back in draft or has changes requested', () => {
    expect(bucketOf(article('changes_requested'), REVIEWER)).toBe('waiting');
    expect(bucketOf(article('draft'), REVIEWER)).toBe('waiting');
  });
});
