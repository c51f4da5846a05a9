import { Injectable } from '@nestjs/common';
import { AuditRepository, TransactionRunner } from '@imprimatur/database';
import { Principal } from '@imprimatur/domain';
import { OutboxService } from '@imprimatur/queue';

/** Requests for the worker's sweeps, made from the API through the outbox. */
@Injectable()
export class MaintenanceRequests {
  constructor(
    private readonly db: TransactionRunner,
    private readonly outbox: OutboxService,
    private readonly audit: AuditRepository,
  ) {}

  async reviewDueScan(user: Principal, asOf: Date | null): Promise<{ asOf: string }> {
    const effective = asOf ?? new Date();
    await this.db.run(async (tx) => {
      await this.outbox.emit(tx, 'articles.review_due_scan', { asOf: effective.toISOString() });
      await this.audit.append(
        {
          actor: { id: user.id, email: user.email },
          action: 'review_scan.requested',
          entityType: 'maintenance',
          entityId: null,
          data: { asOf: effective.toISOString() },
        },
        tx,
      );
    });
    return { asOf: effective.toISOString() };
  }
}
