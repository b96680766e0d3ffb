import { randomUUID } from 'node:crypto';
import { iso, type SqlClient } from './sql-client.ts';

export const SILENCE_MATCHERS = ['rule', 'zone', 'key'] as const;
export type SilenceMatcher = (typeof SILENCE_MATCHERS)[number];

/**
 * Holds back new alerts of a rule, a zone or a key (a key within `ruleId` when given) until
 * `until`, or until the alert `untilAlert` is resolved or dismissed.
 */
export type Silence = {
  id: string;
  matcher: SilenceMatcher;
  value: string;
  ruleId: string | null;
  until: string | null;
  untilAlert: string | null;
  reason: string;
  createdBy: string;
  createdAt: string;
  endedAt: string | null;
  endedBy: string | null;
};

export type NewSilence = Pick<Silence, 'matcher' | 'value' | 'reason'> & { ruleId?: string; until?: string; untilAlert?: string };

type Row = Record<string, unknown>;
const opt = (v: unknown) => (v === null || v === undefined ? null : iso(v));

function rowToSilence(r: Row): Silence {
  return {
    id: r.id as string,
    matcher: r.matcher as SilenceMatcher,
    value: r.value as string,
    ruleId: (r.rule_id as string | null) ?? null,
    until: opt(r.until),
    untilAlert: (r.until_alert as string | null) ?? null,
    reason: r.reason as string,
    createdBy: r.created_by as string,
    createdAt: iso(r.created_at),
    endedAt: opt(r.ended_at),
    endedBy: (r.ended_by as string | null) ?? null,
  };
}

/** Whether a silence still applies at `now`. */
const ACTIVE = (p: string) => `ended_at IS NULL AND (until IS NULL OR until > ${p})`;

export async function createSilence(db: SqlClient, s: NewSilence, by: string, now: Date): Promise<Silence> {
  const [row] = await db.query<Row>(
    `INSERT INTO silences (id, matcher, value, rule_id, until, until_alert, reason, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [randomUUID(), s.matcher, s.value, s.ruleId ?? null, s.until ?? null, s.untilAlert ?? null, s.reason, by, now.toISOString()],
  );
  return rowToSilence(row!);
}

/** Active silences (or every silence with `all`), newest first. */
export async function listSilences(db: SqlClient, now: Date, all = false, limit = 500): Promise<Silence[]> {
  const rows = all
    ? await db.query<Row>('SELECT * FROM silences ORDER BY created_at DESC LIMIT $1', [limit])
    : await db.query<Row>(`SELECT * FROM silences WHERE ${ACTIVE('$1')} ORDER BY created_at DESC LIMIT $2`, [now.toISOString(), limit]);
  return rows.map(rowToSilence);
}

/** Ends a silence now; undefined when there is no such silence or it had already ended. */
export async function endSilence(db: SqlClient, id: string, by: string, now: Date): Promise<Silence | undefined> {
  const [row] = await db.query<Row>('UPDATE silences SET ended_at = $2, ended_by = $3 WHERE id = $1 AND ended_at IS NULL RETURNING *', [id, now.toISOString(), by]);
  return row ? rowToSilence(row) : undefined;
}

/** Ends the silences that were to last until `alertId` closed. */
export async function endSilencesUntilAlert(db: SqlClient, alertId: string, by: string, now: Date): Promise<void> {
  await db.query('UPDATE silences SET ended_at = $2, ended_by = $3 WHERE until_alert = $1 AND ended_at IS NULL', [alertId, now.toISOString(), by]);
}

/** The id of an active silence covering an alert of `ruleId`/`key` in `zones`, if any. */
export async function matchingSilence(db: SqlClient, ruleId: string, key: string, zones: string[], now: Date): Promise<string | null> {
  const [row] = await db.query<{ id: string }>(
    `SELECT id FROM silences WHERE ${ACTIVE('$1')} AND (
        (matcher = 'rule' AND value = $2)
     OR (matcher = 'key' AND value = $3 AND (rule_id IS NULL OR rule_id = $2))
     OR (matcher = 'zone' AND value = ANY($4::text[]))) ORDER BY created_at LIMIT 1`,
    [now.toISOString(), ruleId, key, zones],
  );
  return row?.id ?? null;
}
