import { describe, expect, it } from 'vitest';
import { inAppPath, taskPath } from './links';

describe('in-app paths', () => {
  it("takes the router's base off a path the API gives, and refuses one outside the app", () => {
    expect(inAppPath('/app/articles/a1/review')).toBe('/articles/a1/review');
    expect(inAppPath('/app')).toBe('/');
    expect(inAppPath('/application/x')).toBeNull();
    expect(inAppPath('/read/some-article')).toBeNull();
  });

  it('leads each kind of task to the screen where it is done', () => {
    const task = (kind: Parameters<typeof taskPath>[0]['kind']) => ({ kind, articleId: 'a1' });
    expect(taskPath(task('review'), { admin: false })).toBe('/articles/a1/review');
    expect(taskPath(task('revise'), { admin: false })).toBe('/articles/a1/edit');
    expect(taskPath(task('assign'), { admin: true })).toBe('/articles/a1');
    expect(taskPath(task('re_review'), { admin: false })).toBe('/articles/a1/review');
    // An admin opens the re-review from the overview.
    expect(taskPath(task('re_review'), { admin: true })).toBe('/articles/a1');
  });
});
