import { Injectable } from '@nestjs/common';
import { AuditRepository, EditorialPolicyRepository, TransactionRunner } from '@imprimatur/database';
import { Principal } from '@imprimatur/domain';
import { renderArticleHtml } from '@imprimatur/domain/rendering/server';

/** The editorial policy as readers get it (contract §14). */
export interface EditorialPolicy {
  body: string;
  bodyHtml: string;
  updatedAt: string;
}

/** The longest policy accepted, in characters: several times any real one, and a bounded audit entry. */
export const MAX_EDITORIAL_POLICY_LENGTH = 50_000;

/**
 * The publisher's editorial policy. Rendered once, when written, with the renderer articles use (so
 * it gets the same allow-list); the policy cites no references, so a `[1]` in it stays plain text.
 */
@Injectable()
export class EditorialPolicyService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly policies: EditorialPolicyRepository,
    private readonly audit: AuditRepository,
  ) {}

  async current(): Promise<EditorialPolicy> {
    const policy = await this.policies.current(this.db.autocommit);
    return { body: policy.body, bodyHtml: policy.bodyHtml, updatedAt: policy.updatedAt.toISOString() };
  }

  /**
   * Replaces the policy, with its audit entry, in one transaction. The entry keeps the whole text,
   * so that the audit log is the policy's history: what readers were told, and from when.
   */
  replace(actor: Principal, body: string): Promise<EditorialPolicy> {
    // In NFC, as article text is (contract §12): the same words are the same bytes.
    const text = body.normalize('NFC');
    return this.db.run(async (tx) => {
      const policy = await this.policies.replace(
        { body: text, bodyHtml: renderArticleHtml(text, { referenceCount: 0 }) },
        tx,
      );
      await this.audit.append(
        {
          actor: { id: actor.id, email: actor.email },
          action: 'editorial_policy.updated',
          entityType: 'editorial_policy',
          entityId: 'editorial-policy',
          data: { body: text },
        },
        tx,
      );
      return { body: policy.body, bodyHtml: policy.bodyHtml, updatedAt: policy.updatedAt.toISOString() };
    });
  }
}
