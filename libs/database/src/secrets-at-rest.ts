import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PublicationKeysRepository, PUBLICATION_KEY_SECRET_COLUMN } from './repositories/publication-keys.repository';
import { WEBHOOK_SECRET_COLUMN, WebhooksRepository } from './repositories/webhooks.repository';
import { SecretBox } from './secret-box';
import { TransactionRunner } from './transaction';

const PAGE = 200;
const BEFORE_ALL_IDS = '00000000-0000-0000-0000-000000000000';

/**
 * At every start: says so when secrets are stored unencrypted (no SECRETS_KEY, development), and seals
 * again every stored secret that is plain or sealed under a previous key, so that a rotation ends with
 * every value under SECRETS_KEY and SECRETS_KEY_PREVIOUS can be dropped. A value sealed under a key that
 * is not configured stops the start, naming the key it needs, rather than fail at the first delivery.
 * Several processes may do this at once: each update applies only to the value it read.
 */
@Injectable()
export class SecretsAtRest implements OnApplicationBootstrap {
  private readonly logger = new Logger(SecretsAtRest.name);

  constructor(
    private readonly box: SecretBox,
    private readonly db: TransactionRunner,
    private readonly webhooks: WebhooksRepository,
    private readonly keys: PublicationKeysRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.box.enabled) {
      this.logger.warn(
        'SECRETS_KEY is not set: webhook secrets and generated signing keys are stored unencrypted (production requires it)',
      );
    }
    const resealed = await this.resealAll();
    if (resealed > 0) this.logger.log({ resealed, kid: this.box.currentKeyId }, 'secrets sealed under SECRETS_KEY');
  }

  /** Seals again what needs it; how many values were. */
  async resealAll(): Promise<number> {
    let resealed = 0;
    let after = BEFORE_ALL_IDS;
    for (;;) {
      const page = await this.webhooks.storedSecrets(after, PAGE, this.db.autocommit);
      for (const { id, stored } of page) {
        if (!this.needs(stored, WEBHOOK_SECRET_COLUMN)) continue;
        const fresh = this.box.seal(this.box.open(stored, WEBHOOK_SECRET_COLUMN), WEBHOOK_SECRET_COLUMN);
        await this.webhooks.replaceStoredSecret(id, stored, fresh, this.db.autocommit);
        resealed++;
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].id;
    }
    for (const { kid, stored } of await this.keys.storedPrivateKeys(this.db.autocommit)) {
      if (!this.needs(stored, PUBLICATION_KEY_SECRET_COLUMN)) continue;
      const fresh = this.box.seal(this.box.open(stored, PUBLICATION_KEY_SECRET_COLUMN), PUBLICATION_KEY_SECRET_COLUMN);
      await this.keys.replaceStoredPrivateKey(kid, stored, fresh, this.db.autocommit);
      resealed++;
    }
    return resealed;
  }

  /** Opening checks the key is there even when nothing is to be done (and fails the start if it is not). */
  private needs(stored: string, column: string): boolean {
    this.box.open(stored, column);
    return this.box.needsResealing(stored);
  }
}
