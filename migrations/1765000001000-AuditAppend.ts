import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appending to the hash chain in one statement. Appenders serialise on an advisory lock held until
 * COMMIT; when the lock, the read of the head and the insert were three statements sent from Node, a
 * busy event loop stretched the time the lock was held by every turn it took between them, and every
 * write in the system queued behind it (docs/benchmarks.md, "Workflow API under load"). Here the lock,
 * the head, the hash and the insert happen in one round trip, and the lock is then held only until the
 * caller's COMMIT.
 *
 * The entry's canonical text (libs/domain/src/audit/hash-chain.ts, canonicalEntry) is built in Node in
 * two parts, around the two values only known under the lock: `head` ends with `"at":` and `tail` with
 * `"seq":`. `at` is the database's clock under the lock, to the millisecond, so it never goes backwards
 * along the chain, whichever process appends. Its text is the one the verifier reads back (the
 * CHAIN_SELECT of audit-query.repository.ts). Hashing needs the text in UTF-8, the database's encoding
 * (checked here, since convert_to would otherwise change the bytes).
 *
 * SECURITY INVOKER (the default): the caller's own INSERT privilege on audit_log applies.
 */
export class AuditAppend1765000001000 implements MigrationInterface {
  name = 'AuditAppend1765000001000';

  async up(q: QueryRunner): Promise<void> {
    const [{ encoding }] = (await q.query(`SELECT pg_encoding_to_char(encoding) AS encoding
       FROM pg_database WHERE datname = current_database()`)) as Array<{ encoding: string }>;
    if (encoding !== 'UTF8') throw new Error(`audit_append needs a UTF8 database, this one is ${encoding}`);
    await q.query(`
      CREATE FUNCTION audit_append(lock_key bigint, genesis text, entries jsonb)
      RETURNS TABLE (seq bigint, at text, prev_hash text, hash text)
      LANGUAGE plpgsql AS $$
      DECLARE
        entry record;
        previous text;
        next_seq bigint;
        stamp timestamptz;
        stamp_text text;
        entry_hash text;
      BEGIN
        PERFORM pg_advisory_xact_lock(lock_key);
        -- A new statement, so a new snapshot: it sees every entry committed before the lock was granted.
        SELECT l.seq, l.hash INTO next_seq, previous FROM audit_log l ORDER BY l.seq DESC LIMIT 1;
        next_seq := coalesce(next_seq, 0);
        previous := coalesce(previous, genesis);
        stamp := date_trunc('milliseconds', clock_timestamp());
        stamp_text := to_char(stamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        FOR entry IN
          SELECT * FROM jsonb_to_recordset(entries) AS e(
            head text, tail text, actor_id uuid, actor_email text, action text, entity_type text,
            entity_id text, article_id uuid, data jsonb)
        LOOP
          next_seq := next_seq + 1;
          entry_hash := encode(sha256(convert_to(
            previous || entry.head || '"' || stamp_text || '"' || entry.tail || next_seq::text || '}', 'UTF8')), 'hex');
          INSERT INTO audit_log (seq, at, actor_id, actor_email, action, entity_type, entity_id, article_id, data, prev_hash, hash)
          VALUES (next_seq, stamp, entry.actor_id, entry.actor_email, entry.action, entry.entity_type,
                  entry.entity_id, entry.article_id, entry.data, previous, entry_hash);
          seq := next_seq;
          at := stamp_text;
          prev_hash := previous;
          hash := entry_hash;
          RETURN NEXT;
          previous := entry_hash;
        END LOOP;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_append(bigint, text, jsonb)`);
  }
}
