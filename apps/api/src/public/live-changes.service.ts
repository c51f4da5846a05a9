import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client, Notification } from 'pg';
import { APP_CONFIG, AppConfig } from '@imprimatur/config';
import { ServedCache } from '@imprimatur/publishing';

/** Announced by the trigger of migration 1765000000800-PublicChanges, at commit. */
export const PUBLIC_CHANNEL = 'imprimatur_public';
const RECONNECT_MS = 1_000;
/** A sync that takes longer than this gives up: the answer of a write is never held for the cache. */
const SYNC_TIMEOUT_MS = 1_000;

/**
 * This API process's copy of the live documents, kept right by PostgreSQL: a connection of its own
 * LISTENs on `imprimatur_public`, and each slug it hears is dropped, in every API process, as soon as
 * the change commits. While that connection is down the cache is off (a change could go unheard) and
 * every read goes to the database; when it is back the cache starts empty.
 */
@Injectable()
export class LiveChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LiveChanges.name);
  readonly cache: ServedCache;
  private client: Client | null = null;
  private stopped = false;
  private warned = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.cache = new ServedCache({ ttlMs: config.readCache.ttlMs, maxBytes: config.readCache.maxBytes });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.readCache.ttlMs > 0) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.cache.disable();
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /**
   * Resolves once every notification of a transaction committed before the call has been applied:
   * PostgreSQL sends a listener the notifications waiting for it before it answers its next
   * statement. Called after each write this process answers, so that its own client's next read
   * sees the write (other processes see it as soon as their notification arrives).
   */
  async sync(): Promise<void> {
    const client = this.client;
    if (!client) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.query('SELECT 1').catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, SYNC_TIMEOUT_MS))),
    ]).finally(() => clearTimeout(timer));
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    // Named, so that an operator can tell it in pg_stat_activity.
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'imprimatur-read-cache' });
    client.on('notification', (message: Notification) => {
      const slug = message.payload;
      this.cache.invalidate(!slug || slug === '*' ? null : slug);
    });
    client.on('error', (error: Error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${PUBLIC_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      // From here on every change is heard; what was read before may be stale, so start empty.
      this.cache.enable();
      if (this.warned) this.logger.log('read cache listening again');
      this.warned = false;
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      this.lost(null, error as Error);
    }
  }

  private lost(client: Client | null, error: Error | null): void {
    if (client && this.client !== client) return;
    this.client = null;
    this.cache.disable();
    if (this.stopped) return;
    if (!this.warned) {
      this.logger.warn({ err: error?.message }, 'read cache off: its notification connection is down; retrying');
      this.warned = true;
    }
    if (client) void client.end().catch(() => undefined);
    setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
