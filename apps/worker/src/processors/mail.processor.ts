import { NotificationMail } from '../mail/notification-mail.service';
import { CatalogueProcessor, CatalogueQueue, Handlers } from './catalogue.processor';

const QUEUE = 'mail';

/**
 * Notification emails and the daily digest. A refused or failed send rejects, and BullMQ retries the
 * job with its backoff (JOB_OPTIONS): a 451 "try again later" is exactly that.
 */
@CatalogueQueue(QUEUE, { concurrency: 4 })
export class MailProcessor extends CatalogueProcessor<typeof QUEUE> {
  constructor(private readonly mail: NotificationMail) {
    super();
  }

  readonly handlers: Handlers<typeof QUEUE> = {
    'notifications.email': ({ notificationId }) => this.mail.sendOne(notificationId),
    // A scheduler's job carries the time it was due (prevMillis): its retries keep that day and cut-off.
    'notifications.digest': (_data, { job }) => this.mail.sendDigests(new Date(job.opts.prevMillis ?? job.timestamp)),
  };
}
