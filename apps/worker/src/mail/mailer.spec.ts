import { loadConfig } from '@imprimatur/config';
import { digestMail, Mailer, notificationMail } from './mailer';

const links = { publicBaseUrl: 'https://board.example.org' };
const ada = { id: 'u-1', name: 'Dr Ada <Lovelace>', email: 'ada@example.org' };
const assigned = {
  id: 'n-1',
  kind: 'review.assigned' as const,
  articleId: 'a-1',
  revision: 1,
  title: 'Aspirin & <b>you</b>',
  data: {},
};

describe('the email of one notification', () => {
  const mail = notificationMail(assigned, ada, links);

  it('is addressed to the recipient, with the notification as its subject', () => {
    expect(mail.to).toEqual({ name: 'Dr Ada <Lovelace>', address: 'ada@example.org' });
    expect(mail.subject).toBe('You were asked to review "Aspirin & <b>you</b>"');
  });

  it('has a Message-ID from the notification id, the same every time it is built (a resend is the same message)', () => {
    expect(mail.messageId).toBe('<notification-n-1@imprimatur>');
    expect(notificationMail(assigned, ada, links).messageId).toBe(mail.messageId);
  });

  it('names the article and links to its screen in both parts', () => {
    expect(mail.text).toContain('You were asked to review "Aspirin & <b>you</b>".');
    expect(mail.text).toContain('https://board.example.org/app/articles/a-1/review');
    expect(mail.html).toContain('href="https://board.example.org/app/articles/a-1/review"');
    expect(mail.html).toContain('Aspirin &amp; &lt;b&gt;you&lt;/b&gt;');
  });

  it('escapes what users wrote in the HTML part', () => {
    expect(mail.html).not.toContain('<b>you</b>');
    expect(mail.html).not.toContain('<Lovelace>');
    expect(mail.html).toContain('Dear Dr Ada &lt;Lovelace&gt;,');
  });

  it('links to the email preferences in both parts and in List-Unsubscribe', () => {
    expect(mail.headers).toEqual({ 'List-Unsubscribe': '<https://board.example.org/app/preferences>' });
    expect(mail.text).toContain('https://board.example.org/app/preferences');
    expect(mail.html).toContain('href="https://board.example.org/app/preferences"');
  });

  it('gives the due date of an assignment that has one', () => {
    const dated = notificationMail({ ...assigned, data: { dueAt: '2026-03-09T00:00:00.000Z' } }, ada, links);
    expect(dated.text).toContain('You were asked to review "Aspirin & <b>you</b>" (due 9 March 2026).');
    expect(notificationMail({ ...assigned, data: { dueAt: null } }, ada, links).text).not.toContain('(due');
  });

  it('says when an overdue review was due', () => {
    const overdue = notificationMail(
      { ...assigned, kind: 'review.overdue', data: { dueAt: '2026-03-02T09:00:00.000Z' } },
      ada,
      links,
    );
    expect(overdue.subject).toBe('Your review of "Aspirin & <b>you</b>" is overdue');
    expect(overdue.text).toContain('Your review of "Aspirin & <b>you</b>" is overdue (due 2 March 2026).');
    expect(overdue.html).toContain('is overdue (due 2 March 2026).');
  });

  it('leads each kind to its screen: the editor of changes requested to the editor', () => {
    const changes = notificationMail({ ...assigned, kind: 'article.changes_requested' }, ada, links);
    expect(changes.text).toContain('https://board.example.org/app/articles/a-1/edit');
  });
});

describe('the daily digest', () => {
  const second = { ...assigned, id: 'n-2', kind: 'review.revision_ready' as const, articleId: 'a-2', revision: 2 };
  const digest = digestMail([assigned, second], ada, '2026-03-02', links);

  it('is one message per user and day, whatever it lists', () => {
    expect(digest.messageId).toBe('<digest-u-1-2026-03-02@imprimatur>');
    expect(digestMail([assigned], ada, '2026-03-02', links).messageId).toBe(digest.messageId);
    expect(digestMail([assigned], ada, '2026-03-03', links).messageId).not.toBe(digest.messageId);
    expect(digest.subject).toBe('Imprimatur daily digest, 2026-03-02: 2 notifications');
  });

  it('lists every notification with its article and link, in both parts', () => {
    for (const part of [digest.text, digest.html]) {
      expect(part).toContain('https://board.example.org/app/articles/a-1/review');
      expect(part).toContain('https://board.example.org/app/articles/a-2/review');
      expect(part).toContain('https://board.example.org/app/preferences');
    }
    expect(digest.text).toContain('- You were asked to review "Aspirin & <b>you</b>"');
    expect(digest.text).toContain('- Revision 2 of "Aspirin & <b>you</b>" is ready for your review');
    expect(digest.html).toContain('Revision 2 of &quot;Aspirin &amp; &lt;b&gt;you&lt;/b&gt;&quot;');
    expect(digest.headers['List-Unsubscribe']).toBe('<https://board.example.org/app/preferences>');
  });

  it('lists even a single notification as a digest', () => {
    const one = digestMail([assigned], ada, '2026-03-02', links);
    expect(one.subject).toBe('Imprimatur daily digest, 2026-03-02: 1 notification');
    expect(one.text).toContain('1 notification for you since your last digest:');
  });

  it('is never empty', () => {
    expect(() => digestMail([], ada, '2026-03-02', links)).toThrow('at least one notification');
  });
});

describe('the mailer', () => {
  it('sends nothing without SMTP_URL, and says so', async () => {
    const mailer = new Mailer(loadConfig({}));
    expect(mailer.enabled).toBe(false);
    await expect(mailer.send(notificationMail(assigned, ada, links))).rejects.toThrow('SMTP_URL is not set');
    mailer.onApplicationShutdown();
  });

  it('opens a transport for SMTP_URL and closes it on shutdown', () => {
    const mailer = new Mailer(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }));
    expect(mailer.enabled).toBe(true);
    expect(() => mailer.onApplicationShutdown()).not.toThrow();
  });
});
