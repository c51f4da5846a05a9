import { Client } from 'pg';
import { AuditRow, toAuditEntry } from '@imprimatur/database';
import { AuditEntry, ChainVerifier } from '@imprimatur/domain';

/** A plain connection to the run's database, as the superuser the tests run as. */
export async function sql(): Promise<Client> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

/** Verifies the run's whole audit chain as stored. */
export async function verifyStoredChain(client: Client) {
  const { rows } = await client.query<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
  const verifier = new ChainVerifier();
  for (const row of rows) if (!verifier.push(toAuditEntry(row))) break;
  return verifier.verdict();
}

export async function auditFor(client: Client, entityId: string): Promise<AuditEntry[]> {
  const { rows } = await client.query<AuditRow>('SELECT * FROM audit_log WHERE entity_id = $1 ORDER BY seq', [
    entityId,
  ]);
  return rows.map(toAuditEntry);
}
