import type { EngineSnapshot } from '@vigie/rules';
import { iso, jsonbParam, type SqlClient } from './sql-client.ts';

/**
 * A node's engine state; `at`: where a resume replays from (events received at or after it),
 * `seen`: the events received since `at` that the state already holds, as [source, id].
 */
export type StoredSnapshot = { at: string; state: EngineSnapshot; seen: [string, string][] };

export async function saveSnapshot(db: SqlClient, node: string, at: Date, state: EngineSnapshot, seen: readonly (readonly [string, string])[] = []): Promise<void> {
  await db.query(
    `INSERT INTO engine_snapshots (node, at, state, seen) VALUES ($1, $2, $3::jsonb, $4::jsonb)
     ON CONFLICT (node) DO UPDATE SET at = EXCLUDED.at, state = EXCLUDED.state, seen = EXCLUDED.seen`,
    [node, at.toISOString(), jsonbParam(JSON.stringify(state)), jsonbParam(JSON.stringify(seen))]);
}

type SnapshotRow = { at: unknown; state: EngineSnapshot; seen: [string, string][] };
const fromRow = (r: SnapshotRow | undefined): StoredSnapshot | undefined => r && { at: iso(r.at), state: r.state, seen: r.seen };

export async function loadSnapshot(db: SqlClient, node: string): Promise<StoredSnapshot | undefined> {
  return fromRow((await db.query<SnapshotRow>('SELECT at, state, seen FROM engine_snapshots WHERE node = $1', [node]))[0]);
}

/** The newest snapshot any node saved (by replay point): the one a node taking the engine over resumes from. */
export async function loadNewestSnapshot(db: SqlClient): Promise<StoredSnapshot | undefined> {
  return fromRow((await db.query<SnapshotRow>('SELECT at, state, seen FROM engine_snapshots ORDER BY at DESC LIMIT 1'))[0]);
}
