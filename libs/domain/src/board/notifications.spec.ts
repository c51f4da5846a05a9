import { NOTIFICATION_KINDS, notificationPath, notificationSentence } from './notifications';

describe('notifications in words and links', () => {
  const article = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

  it('leads reviewers to the review workspace, editors to the editor, everyone else to the overview', () => {
    expect(notificationPath({ kind: 'review.assigned', articleId: article })).toBe(`/app/articles/${article}/review`);
    expect(notificationPath({ kind: 'review.overdue', articleId: article })).toBe(`/app/articles/${article}/review`);
    expect(notificationPath({ kind: 'evidence.alert', articleId: article })).toBe(`/app/articles/${article}/review`);
    expect(notificationPath({ kind: 'article.changes_requested', articleId: article })).toBe(
      `/app/articles/${article}/edit`,
    );
    expect(notificationPath({ kind: 'article.published', articleId: article })).toBe(`/app/articles/${article}`);
    expect(notificationPath({ kind: 'article.published', articleId: null })).toBe('/app/');
  });

  it('says every kind in a sentence that names the article', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const sentence = notificationSentence({ kind, title: 'Can leiomyosarcoma be treated?', revision: 2 });
      expect(sentence).toContain('"Can leiomyosarcoma be treated?"');
      expect(sentence).not.toMatch(/ {2}|undefined|null/);
    }
    expect(notificationSentence({ kind: 'review.revision_ready', title: 'T', revision: 3 })).toBe(
      'Revision 3 of "T" is ready for your review',
    );
  });
});
