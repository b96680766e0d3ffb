import type { DeadLetterSummary } from '@vigie/rules';
import { iso, num, type SqlClient } from '../storage/sql-client.ts';
import type { ItemError } from './pipeline.ts';
import { storable } from './unstorable-text.ts';

/** A dead letter as the API lists it (the wire type, typed once in @vigie/rules); its items' codes are the catalogue's. */
export type DeadLetter = DeadLetterSummary & { rejected: { index: number; error: ItemError }[] };
export type NewDeadLetter = Omit<DeadLetter, 'id' | 'replayedAt' | 'replay'> & { payload: string; options?: Record<string, string> };

type Row = { id: unknown; at: unknown; format: string; source: string | null; sender: string; code: string; reason: string; rejected: DeadLetter['rejected']; replayed_at: unknown; replay: DeadLetter['replay'] };
const toDeadLetter = (r: Row): DeadLetter => ({
  id: num(r.id), at: iso(r.at), format: r.format, source: r.source, sender: r.sender, code: r.code, reason: r.reason,
  rejected: r.rejected, replayedAt: r.replayed_at ? iso(r.replayed_at) : null, replay: r.replay ?? null,
});

/** Keeps a refused payload (sealed) and why it was refused. */
export async function addDeadLetter(db: SqlClient, d: NewDeadLetter): Promise<number> {
  const [row] = await db.query<{ id: unknown }>(
    `INSERT INTO dead_letters (at, format, source, sender, code, reason, rejected, options, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9) RETURNING id`,
    [d.at, d.format, d.source, d.sender, d.code, storable(d.reason.slice(0, 2000)), JSON.stringify(storable(d.rejected.slice(0, 1000))), d.options ? JSON.stringify(storable(d.options)) : null, d.payload],
  );
  return num(row!.id);
}

/**
 * Newest first; `pending`: those still to deal with: never replayed, or replayed without
 * everything being stored (refused again as a whole, or with items refused), which an admin
 * replays again after the next fix.
 */
export async function listDeadLetters(db: SqlClient, q: { limit: number; source?: string; pending?: boolean }): Promise<DeadLetter[]> {
  const rows = await db.query<Row>(
    `SELECT id, at, format, source, sender, code, reason, rejected, replayed_at, replay FROM dead_letters
      WHERE ($1::text IS NULL OR source = $1)
        AND (NOT $2::boolean OR replayed_at IS NULL OR (replay->>'status') IS DISTINCT FROM '202'
             OR coalesce(jsonb_array_length(replay->'body'->'rejected'), 0) > 0)
      ORDER BY id DESC LIMIT $3`,
    [q.source ?? null, q.pending ?? false, q.limit],
  );
  return rows.map(toDeadLetter);
}

export async function getDeadLetter(db: SqlClient, id: number): Promise<(DeadLetter & { payload: string; options?: Record<string, string> }) | undefined> {
  const [r] = await db.query<Row & { payload: string; options: Record<string, string> | null }>('SELECT * FROM dead_letters WHERE id = $1', [id]);
  return r ? { ...toDeadLetter(r), payload: r.payload, ...(r.options ? { options: r.options } : {}) } : undefined;
}

export async function markReplayed(db: SqlClient, id: number, at: Date, outcome: unknown): Promise<void> {
  await db.query('UPDATE dead_letters SET replayed_at = $2, replay = $3::jsonb WHERE id = $1', [id, at.toISOString(), JSON.stringify(storable(outcome))]);
}

/** Deletes the dead letters older than `days` (none when `days` is 0); returns how many went. */
export async function purgeDeadLetters(db: SqlClient, now: Date, days: number): Promise<number> {
  if (days <= 0) return 0;
  const gone = await db.query("DELETE FROM dead_letters WHERE at < $1::timestamptz - make_interval(days => $2::int) RETURNING id", [now.toISOString(), days]);
  return gone.length;
}

/** Per source, items refused in the last hour (feed health's error rate): live messages only (an upload's refusals are in its own report). */
export async function rejectedLastHour(db: SqlClient, now: Date): Promise<Map<string, number>> {
  const rows = await db.query<{ source: string; n: unknown }>(
    `SELECT source, sum(greatest(jsonb_array_length(rejected), 1))::int AS n FROM dead_letters
      WHERE at > $1::timestamptz - interval '1 hour' AND source IS NOT NULL
        AND (options IS NULL OR options->>'import' IS DISTINCT FROM 'true') GROUP BY source`,
    [now.toISOString()],
  );
  return new Map(rows.map((r) => [r.source, num(r.n)]));
}
