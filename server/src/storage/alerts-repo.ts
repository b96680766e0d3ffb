import { randomUUID } from 'node:crypto';
import type { Alert, AlertHistoryEntry, AlertStatus, AlertTransition, EvidenceRef } from '@vigie/rules';
import { iso, isUniqueViolation, num, type SqlClient } from './sql-client.ts';

type Row = Record<string, unknown>;

export function rowToAlert(r: Row): Alert {
  return {
    id: r.id as string,
    ruleId: r.rule_id as string,
    key: r.key as string,
    status: r.status as AlertStatus,
    severity: r.severity as Alert['severity'],
    title: r.title as string,
    actions: r.actions as string[],
    location: r.lat === null || r.lat === undefined ? null : { lat: Number(r.lat), lon: Number(r.lon) },
    zones: r.zones as string[],
    count: num(r.count),
    firstAt: iso(r.first_at),
    lastAt: iso(r.last_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    conditionActive: Boolean(r.condition_active),
    assignee: (r.assignee as string | null) ?? null,
    explanation: r.explanation as Alert['explanation'],
    evidence: r.evidence as EvidenceRef[],
    history: r.history as AlertHistoryEntry[],
    version: num(r.version),
    seq: num(r.seq),
  };
}

const ACTIVE = `status IN ('open', 'acknowledged')`;
const MAX_EVIDENCE = 50;
const MAX_HISTORY = 200;

function mergeEvidence(old: EvidenceRef[], add: EvidenceRef[]): EvidenceRef[] {
  const seen = new Set(old.map((r) => `${r.source}/${r.id}`));
  const merged = [...old, ...add.filter((r) => !seen.has(`${r.source}/${r.id}`))];
  return merged.slice(-MAX_EVIDENCE);
}

export type ApplyResult = { alert: Alert; created: boolean } | null;

/**
 * Carries out one engine transition. `fired`/`updated` on a key with an active alert raise
 * its count and add evidence (one active alert per rule and key, across nodes); `resolved`
 * marks the condition as cleared. Returns the alert as stored, or null when nothing changed.
 */
export async function applyTransition(db: SqlClient, t: AlertTransition, now: Date): Promise<ApplyResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction((tx) => applyOnce(tx, t, now));
    } catch (e) {
      // Another node inserted the same key meanwhile: the retry updates its alert.
      if (attempt < 2 && isUniqueViolation(e)) continue;
      throw e;
    }
  }
}

async function applyOnce(tx: SqlClient, t: AlertTransition, now: Date): Promise<ApplyResult> {
  const [active] = await tx.query<Row>(`SELECT * FROM alerts WHERE rule_id = $1 AND key = $2 AND ${ACTIVE} FOR UPDATE`, [t.ruleId, t.key]);
  const at = new Date(t.at).toISOString();
  if (t.kind === 'resolved') {
    if (!active || !active.condition_active) return null;
    const history = [...(active.history as AlertHistoryEntry[]), { at: now.toISOString(), by: 'engine', action: 'condition-cleared', note: t.explanation.summary }].slice(-MAX_HISTORY);
    const [row] = await tx.query<Row>(
      `UPDATE alerts SET condition_active = false, explanation = $2, history = $3, version = version + 1,
              seq = nextval('alert_seq'), updated_at = $4 WHERE id = $1 RETURNING *`,
      [active.id, JSON.stringify(t.explanation), JSON.stringify(history), now.toISOString()],
    );
    return { alert: rowToAlert(row!), created: false };
  }
  if (active) {
    const a = rowToAlert(active);
    const count = t.kind === 'fired' ? a.count + t.count : Math.max(a.count, t.count);
    const history = t.kind === 'fired' && !a.conditionActive
      ? [...a.history, { at: now.toISOString(), by: 'engine', action: 'condition-again' }].slice(-MAX_HISTORY)
      : a.history;
    const [row] = await tx.query<Row>(
      `UPDATE alerts SET count = $2, evidence = $3, explanation = $4, last_at = GREATEST(last_at, $5::timestamptz),
              condition_active = true, title = $6, lat = COALESCE($7, lat), lon = COALESCE($8, lon), history = $9,
              version = version + 1, seq = nextval('alert_seq'), updated_at = $10
        WHERE id = $1 RETURNING *`,
      [a.id, count, JSON.stringify(mergeEvidence(a.evidence, t.evidence)), JSON.stringify(t.explanation), at, t.title,
        t.location?.lat ?? null, t.location?.lon ?? null, JSON.stringify(history), now.toISOString()],
    );
    return { alert: rowToAlert(row!), created: false };
  }
  // No active alert: a new one (also when an operator closed the key's alert while it still held).
  const history: AlertHistoryEntry[] = [{ at: now.toISOString(), by: 'engine', action: 'fired' }];
  const firstAt = new Date(t.evidence.reduce((min, r) => Math.min(min, Date.parse(r.time)), t.at)).toISOString();
  const [row] = await tx.query<Row>(
    `INSERT INTO alerts (id, rule_id, rule_version, key, status, severity, title, actions, lat, lon, zones, count,
                         first_at, last_at, condition_active, explanation, evidence, history, version, seq, created_at, updated_at)
     VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10, $11, $17, $12, true, $13, $14, $15, 1, nextval('alert_seq'), $16, $16)
     RETURNING *`,
    [randomUUID(), t.ruleId, t.ruleVersion, t.key, t.severity, t.title, JSON.stringify(t.actions), t.location?.lat ?? null,
      t.location?.lon ?? null, JSON.stringify(t.zones), t.count, at, JSON.stringify(t.explanation),
      JSON.stringify(t.evidence.slice(-MAX_EVIDENCE)), JSON.stringify(history), now.toISOString(), firstAt],
  );
  return { alert: rowToAlert(row!), created: true };
}

export type AlertQuery = { status?: AlertStatus[]; since?: string; zone?: string; severity?: string[]; limit: number };

export async function listAlerts(db: SqlClient, q: AlertQuery): Promise<Alert[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status?.length) { params.push(q.status); where.push(`status = ANY($${params.length}::text[])`); }
  if (q.severity?.length) { params.push(q.severity); where.push(`severity = ANY($${params.length}::text[])`); }
  if (q.since) { params.push(q.since); where.push(`last_at >= $${params.length}`); }
  if (q.zone) { params.push(JSON.stringify([q.zone])); where.push(`zones @> $${params.length}::jsonb`); }
  params.push(q.limit);
  const rows = await db.query<Row>(
    `SELECT * FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY last_at DESC, seq DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(rowToAlert);
}

export async function getAlert(db: SqlClient, id: string): Promise<Alert | undefined> {
  const [row] = await db.query<Row>('SELECT * FROM alerts WHERE id = $1', [id]);
  return row ? rowToAlert(row) : undefined;
}

/** Alerts changed after `seq`, in seq order: what a reconnecting client missed. */
export async function alertsSince(db: SqlClient, seq: number, limit: number): Promise<Alert[]> {
  const rows = await db.query<Row>('SELECT * FROM alerts WHERE seq > $1 ORDER BY seq LIMIT $2', [seq, limit]);
  return rows.map(rowToAlert);
}

export async function lastSeq(db: SqlClient): Promise<number> {
  const [r] = await db.query<{ s: unknown }>('SELECT COALESCE(max(seq), 0) AS s FROM alerts');
  return num(r?.s ?? 0);
}

export type OperatorAction =
  | { action: 'ack' }
  | { action: 'assign'; assignee: string }
  | { action: 'comment'; text: string }
  | { action: 'resolve'; note?: string }
  | { action: 'dismiss'; reason: string; note?: string };

/** Which statuses each action starts from, and where it leads. */
const MOVES: Record<OperatorAction['action'], { from: AlertStatus[]; to?: AlertStatus }> = {
  ack: { from: ['open'], to: 'acknowledged' },
  assign: { from: ['open', 'acknowledged'] },
  comment: { from: ['open', 'acknowledged', 'resolved', 'dismissed'] },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  dismiss: { from: ['open', 'acknowledged'], to: 'dismissed' },
};

export type ActionOutcome =
  | { ok: true; alert: Alert }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'version'; current: Alert }
  | { ok: false; reason: 'transition'; current: Alert };

/** An operator's action on the alert at `version`: a stale version changes nothing. */
export async function actOnAlert(db: SqlClient, id: string, version: number, by: string, act: OperatorAction, now: Date): Promise<ActionOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Row>('SELECT * FROM alerts WHERE id = $1 FOR UPDATE', [id]);
    if (!row) return { ok: false, reason: 'not-found' };
    const a = rowToAlert(row);
    if (a.version !== version) return { ok: false, reason: 'version', current: a };
    const move = MOVES[act.action];
    if (!move.from.includes(a.status)) return { ok: false, reason: 'transition', current: a };
    const note = act.action === 'comment' ? act.text
      : act.action === 'dismiss' ? [act.reason, act.note].filter(Boolean).join(': ')
      : act.action === 'assign' ? act.assignee
      : act.action === 'resolve' ? act.note : undefined;
    const entry: AlertHistoryEntry = { at: now.toISOString(), by, action: act.action, ...(note ? { note } : {}) };
    const [updated] = await tx.query<Row>(
      `UPDATE alerts SET status = $2, assignee = $3, history = $4, version = version + 1, seq = nextval('alert_seq'), updated_at = $5
        WHERE id = $1 RETURNING *`,
      [id, move.to ?? a.status, act.action === 'assign' ? act.assignee : act.action === 'ack' && !a.assignee ? by : a.assignee,
        JSON.stringify([...a.history, entry].slice(-MAX_HISTORY)), now.toISOString()],
    );
    await tx.query('INSERT INTO audit_log (at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5)',
      [now.toISOString(), by, `alert.${act.action}`, id, JSON.stringify({ version, ...act })]);
    return { ok: true, alert: rowToAlert(updated!) };
  });
}
