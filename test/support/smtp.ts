import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the test's SMTP server received it, parsed as a mail client would. */
export interface ReceivedMail {
  /** The recipients' addresses, lowercased. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Header name (lowercased) → its raw value, as sent. */
  headers: Record<string, string>;
}

/**
 * An SMTP server of the test's own on 127.0.0.1: no TLS and no authentication, like a local mail
 * catcher. It keeps every message it accepts, and can refuse the next few with a transient reply.
 */
export class TestSmtp {
  readonly received: ReceivedMail[] = [];
  /** DATA commands refused, in total. */
  refused = 0;
  private failures: { left: number; code: number } = { left: 0, code: 451 };
  private readonly server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      if (this.failures.left > 0) {
        this.failures.left--;
        this.refused++;
        // Read the message to its end before answering, as a server that refuses after DATA does.
        stream.on('data', () => undefined);
        stream.on('end', () =>
          callback(Object.assign(new Error('Try again later'), { responseCode: this.failures.code })),
        );
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
            a.value.map((v) => (v.address ?? '').toLowerCase()),
          );
          this.received.push({
            to,
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: mail.html || '',
            messageId: mail.messageId ?? '',
            headers: Object.fromEntries(
              mail.headerLines.map((h) => [h.key.toLowerCase(), h.line.slice(h.line.indexOf(':') + 1).trim()]),
            ),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** Answers the next `n` messages with `code` (451: try again later) instead of accepting them. */
  failNext(n: number, code = 451): void {
    this.failures = { left: n, code };
  }

  /** The messages received for `address`. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address.toLowerCase()));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
