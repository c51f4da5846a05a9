import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Eta } from 'eta';
import { createTransport, Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { NotificationRecord, notificationPath, notificationSentence } from '@imprimatur/domain';

/** One email as the builders make it and the Mailer sends it. */
export interface MailMessage {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Stable per notification (or per user and day for a digest), so a resent mail is the same message. */
  messageId: string;
  headers: Record<string, string>;
}

export interface Recipient {
  id: string;
  name: string;
  email: string;
}

type Mailed = Pick<NotificationRecord, 'id' | 'kind' | 'articleId' | 'revision' | 'title' | 'data'>;

/** Where the links of a mail lead: PUBLIC_BASE_URL, without a trailing slash. */
export interface MailLinks {
  publicBaseUrl: string;
}

const preferencesUrl = (links: MailLinks) => `${links.publicBaseUrl}/app/preferences`;
const screenUrl = (n: Mailed, links: MailLinks) => `${links.publicBaseUrl}${notificationPath(n)}`;

/** What the sentence leaves out: a review's due date (assigned with one, or overdue), as a reader would write it. */
function detailOf(n: Mailed): string | null {
  if ((n.kind !== 'review.overdue' && n.kind !== 'review.assigned') || typeof n.data.dueAt !== 'string') return null;
  const due = new Date(n.data.dueAt);
  if (Number.isNaN(due.getTime())) return null;
  return `due ${due.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}`;
}

interface Item {
  sentence: string;
  detail: string | null;
  url: string;
}

const itemOf = (n: Mailed, links: MailLinks): Item => ({
  sentence: notificationSentence(n),
  detail: detailOf(n),
  url: screenUrl(n, links),
});

// The HTML part is Eta with auto-escaping, as the reader pages are: titles and names are user input.
const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title><%= it.subject %></title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1f24">
<p>Dear <%= it.name %>,</p>
<% if (it.intro === null) { %>
<p><%= it.items[0].sentence %><% if (it.items[0].detail) { %> (<%= it.items[0].detail %>)<% } %>.</p>
<p><a href="<%= it.items[0].url %>">Open it in Imprimatur</a></p>
<% } else { %>
<p><%= it.intro %></p>
<ul>
<% it.items.forEach(function (item) { %>
<li><a href="<%= item.url %>"><%= item.sentence %></a><% if (item.detail) { %> (<%= item.detail %>)<% } %></li>
<% }) %>
</ul>
<% } %>
<hr>
<p style="font-size: 0.875em; color: #4a5562">You get these emails as a member of the Imprimatur board.
<a href="<%= it.preferencesUrl %>">Choose immediate, daily or no emails, or unsubscribe</a>.</p>
</body></html>
`;
const eta = new Eta({ autoEscape: true, useWith: false });
eta.loadTemplate('@mail', HTML);

/** `intro` null: the mail of one notification; else a list of them under that line (a digest). */
function compose(
  recipient: Recipient,
  subject: string,
  intro: string | null,
  items: Item[],
  messageId: string,
  links: MailLinks,
): MailMessage {
  const preferences = preferencesUrl(links);
  const line = (i: Item) => `${i.sentence}${i.detail ? ` (${i.detail})` : ''}`;
  const lines =
    intro === null
      ? [`${line(items[0])}.`, '', `Open it: ${items[0].url}`]
      : [intro, '', ...items.map((i) => `- ${line(i)}\n  ${i.url}`)];
  const text = [
    `Dear ${recipient.name},`,
    '',
    ...lines,
    '',
    '--',
    'You get these emails as a member of the Imprimatur board.',
    `Choose immediate, daily or no emails, or unsubscribe: ${preferences}`,
    '',
  ].join('\n');
  const html = eta.render('@mail', { subject, name: recipient.name, intro, items, preferencesUrl: preferences });
  return {
    to: { name: recipient.name, address: recipient.email },
    subject,
    text,
    html,
    messageId,
    headers: { 'List-Unsubscribe': `<${preferences}>` },
  };
}

/** The email of one notification: its sentence as the subject, a link to its screen under /app/. */
export function notificationMail(n: Mailed, recipient: Recipient, links: MailLinks): MailMessage {
  const item = itemOf(n, links);
  return compose(recipient, item.sentence, null, [item], `<notification-${n.id}@imprimatur>`, links);
}

/** A daily digest: one email listing the notifications (oldest first), one per user and day (`YYYY-MM-DD`). */
export function digestMail(
  notifications: readonly Mailed[],
  recipient: Recipient,
  day: string,
  links: MailLinks,
): MailMessage {
  if (notifications.length === 0) throw new Error('a digest needs at least one notification');
  const count = notifications.length === 1 ? '1 notification' : `${notifications.length} notifications`;
  const subject = `Imprimatur daily digest, ${day}: ${count}`;
  const items = notifications.map((n) => itemOf(n, links));
  const intro = `${count} for you since your last digest:`;
  return compose(recipient, subject, intro, items, `<digest-${recipient.id}-${day}@imprimatur>`, links);
}

/**
 * Sends mail through the SMTP server of SMTP_URL (none when it is unset). Timeouts are set so that a
 * server that stops answering fails the send, and the job is retried, instead of holding it forever.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.from = config.board.mailFrom;
    this.transport = config.board.smtpUrl
      ? createTransport({
          url: config.board.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 30_000,
        })
      : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  /** Resolves once the server accepted the message; rejects on any refusal (a 4xx too), for the job to retry. */
  async send(message: MailMessage): Promise<void> {
    if (!this.transport) throw new Error('no SMTP server: SMTP_URL is not set');
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: message.messageId,
      headers: message.headers,
    });
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
