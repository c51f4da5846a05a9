import { Module } from '@nestjs/common';
import { WorkflowModule } from '@imprimatur/workflow';
import { Mailer } from './mailer';
import { NotificationMail } from './notification-mail.service';
import { OverdueReminders } from './overdue.service';

/** The worker's email (contract §17): the SMTP client, the notification mails and digests, the overdue reminders. */
@Module({
  imports: [WorkflowModule],
  providers: [Mailer, NotificationMail, OverdueReminders],
  exports: [NotificationMail, OverdueReminders],
})
export class MailModule {}
