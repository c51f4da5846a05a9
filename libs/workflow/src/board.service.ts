import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import {
  AuditRepository,
  NotificationsRepository,
  TasksRepository,
  TransactionRunner,
  UsersRepository,
} from '@imprimatur/database';
import {
  decodeCursor,
  EmailPreference,
  NotificationRecord,
  notFound,
  orderTasks,
  Page,
  Principal,
  Task,
  toPage,
} from '@imprimatur/domain';
import { actorOf } from './actions';

/** A user's working day (contract §17): what waits on them, what they were told, how they want email. */
@Injectable()
export class BoardService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly tasks: TasksRepository,
    private readonly notifications: NotificationsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditRepository,
  ) {}

  /** Every kind the user's roles make theirs, most urgent first; each kind is one indexed query. */
  async tasksOf(user: Principal, now = new Date()): Promise<Task[]> {
    const tx = this.db.autocommit;
    const found: Omit<Task, 'overdue'>[] = [];
    if (user.roles.includes('reviewer'))
      found.push(...(await this.tasks.reviewsOf(user.id, this.config.board.reviewSlaDays, tx)));
    if (user.roles.includes('editor')) found.push(...(await this.tasks.revisionsOf(user.id, tx)));
    if (user.roles.includes('admin')) {
      found.push(...(await this.tasks.assignmentsNeeded(this.config.workflow.requiredSignoffs, tx)));
      found.push(...(await this.tasks.reReviewsToOpen(tx)));
    }
    return orderTasks(found, now);
  }

  async notificationsOf(
    user: Principal,
    options: { unread: boolean; limit: number; cursor?: string },
  ): Promise<Page<NotificationRecord> & { unread: number }> {
    const after = options.cursor ? decodeCursor(options.cursor, ['date', 'uuid']) : null;
    const rows = await this.notifications.listOf(
      user.id,
      {
        unread: options.unread,
        after: after ? { createdAt: after[0] as string, id: after[1] as string } : null,
        limit: options.limit,
      },
      this.db.autocommit,
    );
    const page = toPage(
      rows,
      options.limit,
      (n) => [n.createdAt.toISOString(), n.id],
      (n) => n,
    );
    return { ...page, unread: await this.notifications.unreadCount(user.id, this.db.autocommit) };
  }

  /** Marks the user's notifications read (`ids` of someone else's are ignored); answers how many are left unread. */
  markRead(user: Principal, ids: readonly string[] | 'all'): Promise<{ marked: number; unread: number }> {
    return this.db.run(async (tx) => {
      const marked = await this.notifications.markRead(user.id, ids, tx);
      if (marked.length > 0) {
        await this.audit.append(
          {
            actor: actorOf(user),
            action: 'notifications.read',
            entityType: 'user',
            entityId: user.id,
            articleId: null,
            data: { count: marked.length, all: ids === 'all' },
          },
          tx,
        );
      }
      return { marked: marked.length, unread: await this.notifications.unreadCount(user.id, tx) };
    });
  }

  setEmailPreference(user: Principal, email: EmailPreference): Promise<{ email: EmailPreference }> {
    return this.db.run(async (tx) => {
      const before = await this.users.emailPreferenceOf(user.id, tx);
      if (!before) throw notFound('User');
      await this.users.setEmailPreference(user.id, email, tx);
      await this.audit.append(
        {
          actor: actorOf(user),
          action: 'preferences.updated',
          entityType: 'user',
          entityId: user.id,
          articleId: null,
          data: { email, before: before.preference },
        },
        tx,
      );
      return { email };
    });
  }

  async preferencesOf(user: Principal): Promise<{ email: EmailPreference }> {
    const found = await this.users.emailPreferenceOf(user.id, this.db.autocommit);
    if (!found) throw notFound('User');
    return { email: found.preference };
  }
}
