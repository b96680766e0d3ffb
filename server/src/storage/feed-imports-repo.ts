import type { StoredEvent } from '@vigie/rules';
import { iso, type SqlClient } from './sql-client.ts';

/**
 * One-off uploads (a CSV import), one row per stored batch: (source, received time) with the
 * events it stored. Live messages leave no row: the live ingest pays nothing for this. A dead
 * letter an admin replays has a row too (`replay`): its events are taken as an upload's (see
 * EngineService.process), after a restart as well, but it is no upload of its source's.
 */

/** Marks the batches about to be stored as an upload (or a replay): before the events, so that no event of one is ever taken for a live one. */
export async function markImport(db: SqlClient, events: readonly StoredEvent[], replay = false): Promise<void> {
  const keys = batchKeys(events);
  if (!keys.length) return;
  await db.query(
    `INSERT INTO feed_imports (source, received_at, replay) SELECT s, r::timestamptz, $3 FROM unnest($1::text[], $2::text[]) AS x(s, r)
     ON CONFLICT (source, received_at) DO NOTHING`,
    [keys.map((k) => k.source), keys.map((k) => k.receivedAt), replay],
  );
}

/** Adds the events an upload's batch stored to its row (marked by `markImport`). */
export async function countImport(db: SqlClient, stored: readonly StoredEvent[]): Promise<void> {
  const keys = batchKeys(stored);
  if (!keys.length) return;
  await db.query(
    `UPDATE feed_imports f SET events = f.events + x.n
       FROM unnest($1::text[], $2::text[], $3::int[]) AS x(s, r, n)
      WHERE f.source = x.s AND f.received_at = x.r::timestamptz`,
    [keys.map((k) => k.source), keys.map((k) => k.receivedAt), keys.map((k) => k.events)],
  );
}

/** Distinct (source, received time) of the events, with how many each. */
function batchKeys(events: readonly StoredEvent[]): { source: string; receivedAt: string; events: number }[] {
  const by = new Map<string, { source: string; receivedAt: string; events: number }>();
  for (const e of events) {
    const key = `${e.source}\u0000${e.receivedAt}`;
    const k = by.get(key);
    if (k) k.events++;
    else by.set(key, { source: e.source, receivedAt: e.receivedAt, events: 1 });
  }
  return [...by.values()];
}

/** Per source, the uploads of the last day (not the replays): the last one's time and the events they stored. */
export async function importsLastDay(db: SqlClient, now: Date): Promise<Map<string, { lastImportAt: string; events: number }>> {
  const rows = await db.query<{ source: string; last: unknown; events: number }>(
    `SELECT source, max(received_at) AS last, sum(events)::int AS events FROM feed_imports
      WHERE received_at > $1::timestamptz - interval '1 day' AND received_at <= $1::timestamptz AND NOT replay GROUP BY source`,
    [now.toISOString()],
  );
  return new Map(rows.map((r) => [r.source, { lastImportAt: iso(r.last), events: r.events }]));
}

/** Received times (ms) of the uploads and replays since `since`, per source: what tells an uploaded (or replayed) event from a live one. */
export type ImportedBatches = ReadonlyMap<string, ReadonlySet<number>>;

export async function importedBatchesSince(db: SqlClient, since: Date): Promise<ImportedBatches> {
  const rows = await db.query<{ source: string; received_at: unknown }>('SELECT source, received_at FROM feed_imports WHERE received_at >= $1::timestamptz', [since.toISOString()]);
  const by = new Map<string, Set<number>>();
  for (const r of rows) {
    let s = by.get(r.source);
    if (!s) by.set(r.source, (s = new Set()));
    s.add(Date.parse(iso(r.received_at)));
  }
  return by;
}

/** Whether a stored event came with an upload (its batch is in `batches`). */
export const wasImported = (batches: ImportedBatches, e: StoredEvent): boolean => {
  const s = batches.get(e.source);
  return s !== undefined && s.has(Date.parse(e.receivedAt));
};

/** Forgets uploads older than `days` (the baselines learn from eight weeks). */
export async function purgeFeedImports(db: SqlClient, now: Date, days = 63): Promise<void> {
  await db.query(`DELETE FROM feed_imports WHERE received_at < $1::timestamptz - make_interval(days => $2::int)`, [now.toISOString(), days]);
}
