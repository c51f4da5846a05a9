import { Client } from 'pg';
import { AuditEntry, ChainVerifier } from '@imprimatur/domain';

/** A plain connection to the run's database, as the superuser the tests run as. */
export async function sql(): Promise<Client> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

interface Row {
  seq: string;
  at: Date;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  article_id: string | null;
  data: AuditEntry['data'];
  prev_hash: string;
  hash: string;
}

export const toEntry = (r: Row): AuditEntry => ({
  seq: Number(r.seq),
  at: r.at.toISOString(),
  actor: r.actor_id ? { id: r.actor_id, email: r.actor_email ?? '' } : null,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  articleId: r.article_id,
  data: r.data,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Verifies the run's whole audit chain as stored. */
export async function verifyStoredChain(client: Client) {
  const { rows } = await client.query<Row>('SELECT * FROM audit_log ORDER BY seq');
  const verifier = new ChainVerifier();
  for (const row of rows) if (!verifier.push(toEntry(row))) break;
  return verifier.verdict();
}

export async function auditFor(client: Client, entityId: string): Promise<AuditEntry[]> {
  const { rows } = await client.query<Row>('SELECT * FROM audit_log WHERE entity_id = $1 ORDER BY seq', [entityId]);
  return rows.map(toEntry);
}
