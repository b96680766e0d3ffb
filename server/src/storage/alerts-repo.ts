import { randomUUID } from 'node:crypto';
import { ruleKindOf, type Alert, type AlertHistoryEntry, type AlertStatus, type AlertTransition, type EvidenceRef, type HeldAlert } from '@vigie/rules';
import { ackDueAt, escalatedSeverity, type EscalationPolicy } from '../alerts/escalation-policy.ts';
import { recordAudit } from './audit-repo.ts';
import { createSilence, endSilencesUntilAlert, matchingSilence, type NewSilence, type Silence } from './silences-repo.ts';
import { isDatabaseUnavailable, iso, isUniqueViolation, num, type SqlClient } from './sql-client.ts';

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
    translations: (r.translations as Alert['translations'] | null | undefined) ?? {},
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
    silencedBy: (r.silenced_by as string | null | undefined) ?? null,
    escalations: num(r.escalations ?? 0),
    ackDueAt: r.ack_due_at === null || r.ack_due_at === undefined ? null : iso(r.ack_due_at),
  };
}

const ACTIVE = `status IN ('open', 'acknowledged')`;
const MAX_EVIDENCE = 50;
const MAX_HISTORY = 200;

export function mergeEvidence(old: EvidenceRef[], add: EvidenceRef[]): EvidenceRef[] {
  const seen = new Set(old.map((r) => `${r.source}/${r.id}`));
  const merged = [...old, ...add.filter((r) => !seen.has(`${r.source}/${r.id}`))];
  return merged.slice(-MAX_EVIDENCE);
}

/** An engine transition, or updates the alert service made one (`parts`: see `coalesceUpdates`). */
type Applied = AlertTransition & { parts?: readonly AlertTransition[] };

/**
 * An active alert's evidence after an update: the update's added to it, or, for updates made
 * one, each one's in turn, as they would have been.
 */
function evidenceAfter(held: EvidenceRef[], t: Applied): EvidenceRef[] {
  return t.parts ? t.parts.reduce((e, p) => mergeEvidence(e, p.evidence), held) : mergeEvidence(held, t.evidence);
}

export type ApplyResult = { alert: Alert; created: boolean } | null;

/** What the lifecycle needs besides the transition: the escalation delays. */
export type Lifecycle = { escalation: EscalationPolicy };
export const NO_ESCALATION: Lifecycle = { escalation: {} };

const append = (history: AlertHistoryEntry[], entry: AlertHistoryEntry) => [...history, entry].slice(-MAX_HISTORY);

/**
 * Carries out one engine transition. `fired`/`updated` on a key with an active alert raise
 * its count and add evidence (one active alert per rule and key, across nodes); `resolved`
 * marks the condition as cleared. Returns the alert as stored, or null when nothing changed.
 * Throws CommitUnansweredError when the answer to its COMMIT was lost.
 */
export async function applyTransition(db: SqlClient, t: AlertTransition, now: Date, life: Lifecycle = NO_ESCALATION): Promise<ApplyResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [r] = await markedTransaction(db, async (tx) => [await applyOnce(tx, t, now, life)]);
      return r ?? null;
    } catch (e) {
      // Another node inserted the same key meanwhile: the retry updates its alert.
      if (attempt < 2 && isUniqueViolation(e)) continue;
      throw e;
    }
  }
}

/**
 * Carries out several engine transitions in order in one transaction (as many
 * `applyTransition`s would, one after the other): all are stored, or none (an error rolls them
 * all back). One transaction instead of one each: on PostgreSQL a flood's alerts are stored
 * some 1.8 times as fast (`npm run bench:alerts -w @vigie/server`). Throws
 * CommitUnansweredError when the answer to its COMMIT was lost.
 */
export async function applyTransitionsTogether(db: SqlClient, ts: readonly AlertTransition[], now: Date, life: Lifecycle = NO_ESCALATION): Promise<ApplyResult[]> {
  return markedTransaction(db, async (tx) => {
    const out: ApplyResult[] = [];
    for (const t of ts) out.push(await applyOnce(tx, t, now, life));
    return out;
  });
}

/**
 * A transaction of engine transitions whose COMMIT got no answer (the connection cut just
 * then): it may have been stored, or not. `results`: what it gave, true if it was stored;
 * `wasCommitted` with its `mark` tells which, once the database answers. Applying its
 * transitions again blindly would count an update twice, or take a new alert for one already
 * held (and not publish it).
 */
export class CommitUnansweredError extends Error {
  constructor(readonly mark: string, readonly results: ApplyResult[], cause: unknown) {
    super(`alert transitions: no answer to COMMIT (stored or not): ${String(cause)}`, { cause });
  }
}

/**
 * `work` in a transaction that, on PostgreSQL, also writes a mark of its own (a row of
 * `alert_commit_marks`): should the answer to its COMMIT be lost, the mark says whether it was
 * stored (see CommitUnansweredError). PGlite runs in the process: no answer is lost there.
 */
async function markedTransaction(db: SqlClient, work: (tx: SqlClient) => Promise<ApplyResult[]>): Promise<ApplyResult[]> {
  if (db.kind !== 'postgres') return db.transaction(work);
  const mark = randomUUID();
  let results: ApplyResult[] | undefined;
  try {
    return await db.transaction(async (tx) => {
      const r = await work(tx);
      await tx.query('INSERT INTO alert_commit_marks (id) VALUES ($1)', [mark]);
      results = r;
      return r;
    });
  } catch (e) {
    // The work done, only the COMMIT was left: the connection lost then, it may have been stored.
    if (results && isDatabaseUnavailable(e)) throw new CommitUnansweredError(mark, results, e);
    throw e;
  }
}

/**
 * Whether the transaction of a CommitUnansweredError's `mark` was stored. Read once it is over:
 * cut off from its client, it may still be committing (waiting for a standby, a slow disk); as
 * every transaction of alert changes, it holds the seq turn until then.
 */
export async function wasCommitted(db: SqlClient, mark: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Read committed whatever the server's default: the mark is read with what was committed
    // once the turn came, not with a snapshot taken before.
    await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await takeSeqTurn(tx);
    return (await tx.query('SELECT 1 FROM alert_commit_marks WHERE id = $1', [mark])).length > 0;
  });
}

/** Forgets the marks older than `hours` (an unanswered COMMIT is looked into within seconds). */
export async function purgeCommitMarks(db: SqlClient, now: Date, hours = 24): Promise<void> {
  await db.query(`DELETE FROM alert_commit_marks WHERE at < $1::timestamptz - make_interval(hours => $2::int)`, [now.toISOString(), hours]);
}

/**
 * Updates made one that meet no active alert (an operator closed it since the first of their
 * run made it active): each applied in turn, as they would have been; the alert as the last
 * left it, new if one of them made it.
 */
async function applyInTurn(tx: SqlClient, parts: readonly AlertTransition[], now: Date, life: Lifecycle): Promise<ApplyResult> {
  let last: ApplyResult = null, created = false;
  for (const p of parts) {
    const r = await applyOnce(tx, p, now, life);
    if (!r) continue;
    last = r;
    created ||= r.created;
  }
  return last && { alert: last.alert, created };
}

/**
 * Every transaction that gives an alert a new `seq` first waits for its turn (a transaction
 * lock), so that changes commit in `seq` order: a client that reads "everything after seq n"
 * never sees n + 2 before n + 1 is there, and never skips n + 1 for good. On PostgreSQL two
 * transactions could otherwise take 5 and 6 and commit 6 first; PGlite runs one at a time.
 */
// Vigie's advisory lock keys: 7215 migrations (migrate.ts), (7216, rule) publishing a rule (rules-repo.ts), (7217, 0) alert seq, (7218, schema) the engine's leader (engine-leadership.ts).
const takeSeqTurn = (tx: SqlClient) => tx.query('SELECT pg_advisory_xact_lock(7217, 0)');

async function applyOnce(tx: SqlClient, t: Applied, now: Date, life: Lifecycle): Promise<ApplyResult> {
  await takeSeqTurn(tx);
  const [active] = await tx.query<Row>(`SELECT * FROM alerts WHERE rule_id = $1 AND key = $2 AND ${ACTIVE} FOR UPDATE`, [t.ruleId, t.key]);
  const at = lastSeen(t);
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
    // A firing the alert already holds, every event of it (a replay after a restart or a takeover): nothing new.
    if (t.kind === 'fired' && t.evidence.length && t.evidence.every((r) => a.evidence.some((o) => o.source === r.source && o.id === r.id))) return null;
    const count = t.kind === 'fired' ? countAfterFiring(a, t) : Math.max(a.count, t.count);
    const history = t.kind === 'fired' && !a.conditionActive
      ? [...a.history, { at: now.toISOString(), by: 'engine', action: 'condition-again' }].slice(-MAX_HISTORY)
      : a.history;
    const [row] = await tx.query<Row>(
      `UPDATE alerts SET count = $2, evidence = $3, explanation = $4, last_at = GREATEST(last_at, $5::timestamptz),
              condition_active = true, title = $6, lat = COALESCE($7, lat), lon = COALESCE($8, lon), history = $9,
              version = version + 1, seq = nextval('alert_seq'), updated_at = $10, translations = $11
        WHERE id = $1 RETURNING *`,
      [a.id, count, JSON.stringify(evidenceAfter(a.evidence, t)), JSON.stringify(t.explanation), at, t.title,
        t.location?.lat ?? null, t.location?.lon ?? null, JSON.stringify(history), now.toISOString(), translationsOf(t, a)],
    );
    return { alert: rowToAlert(row!), created: false };
  }
  if (t.parts) return applyInTurn(tx, t.parts, now, life);
  const reopened = await reopenWithinSuppress(tx, t, now, life);
  if (reopened) return reopened;
  // No active alert: a new one (also when an operator closed the key's alert while it still held).
  const silencedBy = await matchingSilence(tx, t.ruleId, t.key, t.zones, now);
  const history: AlertHistoryEntry[] = [{ at: now.toISOString(), by: 'engine', action: 'fired', ...(silencedBy ? { note: `silenced:${silencedBy}` } : {}) }];
  const firstAt = new Date(t.evidence.reduce((min, r) => Math.min(min, Date.parse(r.time)), t.at)).toISOString();
  const [row] = await tx.query<Row>(
    `INSERT INTO alerts (id, rule_id, rule_version, key, status, severity, title, actions, lat, lon, zones, count,
                         first_at, last_at, condition_active, explanation, evidence, history, version, seq, created_at, updated_at,
                         suppress_ms, silenced_by, ack_due_at, translations)
     VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10, $11, $17, $12, true, $13, $14, $15, 1, nextval('alert_seq'), $16, $16,
             $18, $19, $20, $21)
     RETURNING *`,
    [randomUUID(), t.ruleId, t.ruleVersion, t.key, t.severity, t.title, JSON.stringify(t.actions), t.location?.lat ?? null,
      t.location?.lon ?? null, JSON.stringify(t.zones), t.count, at, JSON.stringify(t.explanation),
      JSON.stringify(t.evidence.slice(-MAX_EVIDENCE)), JSON.stringify(history), now.toISOString(), firstAt,
      t.suppressMs ?? null, silencedBy, silencedBy ? null : ackDueAt(life.escalation, t.severity, now), translationsOf(t)],
  );
  return { alert: rowToAlert(row!), created: true };
}

/**
 * The translations a transition gives its alert, as JSON: its rule's, each title following the
 * count as the main title does. An alert keeps the actions it was raised with, as the main ones:
 * a language it was raised without gets none (its readers get the main ones, the same steps).
 */
function translationsOf(t: AlertTransition, held?: Alert): string {
  const out: NonNullable<Alert['translations']> = {};
  for (const [lang, tr] of Object.entries(t.translations ?? {})) {
    const actions = held ? held.translations?.[lang]?.actions : tr.actions;
    out[lang] = actions ? { title: tr.title, actions } : { title: tr.title };
  }
  return JSON.stringify(out);
}

/**
 * When a transition last saw its condition's events: its time, or its newest event's when
 * later (a threshold firing early on an event's arrival, over a window that events stamped
 * later but arrived earlier complete): "last seen" is never before an event the alert shows.
 */
function lastSeen(t: Applied): string {
  let last = t.at;
  for (const part of t.parts ?? [t]) {
    for (const r of part.evidence) {
      const at = Date.parse(r.time);
      if (at > last) last = at;
    }
  }
  return new Date(last).toISOString();
}

/**
 * An alert's count once its key fires again (the condition back, or a reopening). Where the
 * firing counts its events (its count is its evidence: a `match` rule's repeats, a threshold's
 * `count` over a window of up to MAX_EVIDENCE events), each event once: those the alert already
 * holds as evidence are not counted again (a threshold whose window still holds some of the
 * first firing's events adds only the others). Another measure (distinct values, a sum, a
 * window of more events than its evidence shows) is added as it is.
 */
function countAfterFiring(a: Alert, t: AlertTransition): number {
  if (t.count !== t.evidence.length) return a.count + t.count;
  const held = new Set(a.evidence.map((r) => `${r.source}\u0000${r.id}`));
  let again = 0;
  for (const r of t.evidence) if (held.has(`${r.source}\u0000${r.id}`)) again++;
  return a.count + t.count - again;
}

/**
 * The same rule and key firing again within the rule's `suppress` after its alert was
 * resolved reopens that alert (count raised, evidence added) instead of making a new one.
 */
async function reopenWithinSuppress(tx: SqlClient, t: AlertTransition, now: Date, life: Lifecycle): Promise<ApplyResult> {
  if (!t.suppressMs) return null;
  const [closed] = await tx.query<Row>(
    `SELECT * FROM alerts WHERE rule_id = $1 AND key = $2 AND status = 'resolved' AND closed_at >= $3
      ORDER BY closed_at DESC LIMIT 1 FOR UPDATE`,
    [t.ruleId, t.key, new Date(t.at - t.suppressMs).toISOString()],
  );
  if (!closed) return null;
  const a = rowToAlert(closed);
  const history = append(a.history, { at: now.toISOString(), by: 'engine', action: 'reopened' });
  const [row] = await tx.query<Row>(
    `UPDATE alerts SET status = 'open', closed_at = NULL, count = $2, evidence = $3, explanation = $4,
            last_at = GREATEST(last_at, $5::timestamptz), condition_active = true, title = $6, history = $7,
            ack_due_at = $8, version = version + 1, seq = nextval('alert_seq'), updated_at = $9, translations = $10
      WHERE id = $1 RETURNING *`,
    [a.id, countAfterFiring(a, t), JSON.stringify(mergeEvidence(a.evidence, t.evidence)), JSON.stringify(t.explanation),
      lastSeen(t), t.title, JSON.stringify(history), ackDueAt(life.escalation, a.severity, now), now.toISOString(), translationsOf(t, a)],
  );
  return { alert: rowToAlert(row!), created: false };
}

/**
 * Escalates every open, unsilenced alert whose acknowledgement is overdue at `now`: one
 * severity up, a history entry, an audit line, and a new due time for the new severity.
 */
export async function escalateDue(db: SqlClient, now: Date, life: Lifecycle, limit = 200): Promise<Alert[]> {
  return db.transaction(async (tx) => {
    await takeSeqTurn(tx);
    const due = await tx.query<Row>(
      `SELECT * FROM alerts WHERE status = 'open' AND silenced_by IS NULL AND ack_due_at <= $1
        ORDER BY ack_due_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now.toISOString(), limit],
    );
    const out: Alert[] = [];
    for (const r of due) {
      const a = rowToAlert(r);
      const severity = escalatedSeverity(a.severity);
      const note = `${a.severity} → ${severity}`;
      const history = append(a.history, { at: now.toISOString(), by: 'system', action: 'escalated', note });
      const [row] = await tx.query<Row>(
        `UPDATE alerts SET severity = $2, escalations = escalations + 1, ack_due_at = $3, history = $4,
                version = version + 1, seq = nextval('alert_seq'), updated_at = $5 WHERE id = $1 RETURNING *`,
        [a.id, severity, ackDueAt(life.escalation, severity, now), JSON.stringify(history), now.toISOString()],
      );
      await recordAudit(tx, now, 'system', 'alert.escalate', a.id, { version: a.version, from: a.severity, to: severity });
      out.push(rowToAlert(row!));
    }
    return out;
  });
}

/**
 * A new silence, made: it holds back the active alerts it covers too, as those it will cover: each is
 * marked (`silencedBy`, its history), its escalation stopped, and comes out as a change. The
 * alert a silence lasts until (`untilAlert`) is the one being handled: it is left as it is.
 */
export async function createSilenceHolding(db: SqlClient, body: NewSilence, by: string, now: Date): Promise<{ silence: Silence; held: Alert[] }> {
  return db.transaction(async (tx) => {
    await takeSeqTurn(tx);
    // In one transaction with the alerts it holds: a failure leaves neither (no silence made twice by a retry).
    const s = await createSilence(tx, body, by, now);
    const rows = await tx.query<Row>(
      `SELECT * FROM alerts WHERE ${ACTIVE} AND silenced_by IS NULL AND ($4::text IS NULL OR id <> $4) AND (
          ($1 = 'rule' AND rule_id = $2)
       OR ($1 = 'key' AND key = $2 AND ($3::text IS NULL OR rule_id = $3))
       OR ($1 = 'zone' AND zones @> jsonb_build_array($2::text)))
       ORDER BY id FOR UPDATE`,
      [s.matcher, s.value, s.ruleId, s.untilAlert],
    );
    const out: Alert[] = [];
    for (const r of rows) {
      const a = rowToAlert(r);
      const history = append(a.history, { at: now.toISOString(), by: s.createdBy, action: 'silenced', note: s.reason });
      const [row] = await tx.query<Row>(
        `UPDATE alerts SET silenced_by = $2, ack_due_at = NULL, history = $3, version = version + 1, seq = nextval('alert_seq'), updated_at = $4
          WHERE id = $1 RETURNING *`,
        [a.id, s.id, JSON.stringify(history), now.toISOString()],
      );
      out.push(rowToAlert(row!));
    }
    return { silence: s, held: out };
  });
}

/**
 * The active alerts held back by a silence that is over (ended, its time past, the alert it
 * lasted until closed) are let go: held by another silence in force that covers them, or back
 * in the queue, an open one with its acknowledgement delay started again as for a new alert.
 * Each comes out as a change (history `unsilenced`). Run after a silence ends and by the
 * escalation job (a silence's time passes unseen).
 */
export async function releaseLapsed(db: SqlClient, now: Date, life: Lifecycle): Promise<Alert[]> {
  return db.transaction(async (tx) => {
    await takeSeqTurn(tx);
    const rows = await tx.query<Row>(
      `SELECT a.* FROM alerts a JOIN silences s ON s.id = a.silenced_by
        WHERE a.${ACTIVE} AND NOT (s.ended_at IS NULL AND (s.until IS NULL OR s.until > $1))
        ORDER BY a.id LIMIT 500 FOR UPDATE OF a SKIP LOCKED`,
      [now.toISOString()],
    );
    const out: Alert[] = [];
    for (const r of rows) {
      const a = rowToAlert(r);
      const next = await matchingSilence(tx, a.ruleId, a.key, a.zones, now);
      const due = next || a.status !== 'open' ? null : ackDueAt(life.escalation, a.severity, now);
      const history = append(a.history, { at: now.toISOString(), by: 'system', action: 'unsilenced', ...(next ? { note: `silenced:${next}` } : {}) });
      const [row] = await tx.query<Row>(
        `UPDATE alerts SET silenced_by = $2, ack_due_at = $3, history = $4, version = version + 1, seq = nextval('alert_seq'), updated_at = $5
          WHERE id = $1 RETURNING *`,
        [a.id, next, due, JSON.stringify(history), now.toISOString()],
      );
      out.push(rowToAlert(row!));
    }
    return out;
  });
}

export type AlertQuery = { status?: AlertStatus[]; since?: string; zone?: string; severity?: string[]; limit: number };

/**
 * The keys of these rules' alerts still active with their condition holding (a rule's new version
 * rebuilt from the stored events checks them), with the kind of rule that last told each (its explanation's).
 */
export async function heldAlertKeys(db: SqlClient, ruleIds: readonly string[]): Promise<HeldAlert[]> {
  if (!ruleIds.length) return [];
  const rows = await db.query<{ rule_id: string; key: string; first_at: unknown; told: string | null }>(
    `SELECT rule_id, key, first_at, explanation->>'kind' AS told FROM alerts WHERE rule_id = ANY($1::text[]) AND ${ACTIVE} AND condition_active`, [ruleIds]);
  return rows.map((r) => {
    const kind = ruleKindOf(r.told ?? undefined);
    return { ruleId: r.rule_id, key: r.key, since: Date.parse(iso(r.first_at)), ...(kind ? { kind } : {}) };
  });
}

/** Which of these (rule, key) pairs have an active alert whose condition holds, as `ruleId\u0000key`: one query for a batch of transitions. */
export async function heldAlertPairs(db: SqlClient, pairs: readonly { ruleId: string; key: string }[]): Promise<Set<string>> {
  if (!pairs.length) return new Set();
  const rows = await db.query<{ rule_id: string; key: string }>(
    `SELECT rule_id, key FROM alerts WHERE (rule_id, key) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND ${ACTIVE} AND condition_active`,
    [pairs.map((p) => p.ruleId), pairs.map((p) => p.key)],
  );
  return new Set(rows.map((r) => `${r.rule_id}\u0000${r.key}`));
}

/** Alerts of these rules closed (by an operator) at or after `since`, with when: a rebuilt absence rule does not raise a silence again whose alert was closed during it. */
export async function closedAlertKeys(db: SqlClient, ruleIds: readonly string[], since: Date): Promise<{ ruleId: string; key: string; at: number }[]> {
  if (!ruleIds.length) return [];
  const rows = await db.query<{ rule_id: string; key: string; closed_at: unknown }>(
    'SELECT rule_id, key, closed_at FROM alerts WHERE rule_id = ANY($1::text[]) AND closed_at >= $2::timestamptz', [ruleIds, since.toISOString()]);
  return rows.map((r) => ({ ruleId: r.rule_id, key: r.key, at: Date.parse(iso(r.closed_at)) }));
}

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
  | { action: 'dismiss'; reason: string; note?: string }
  | { action: 'reopen'; note: string };

/** Which statuses each action starts from, and where it leads. */
const MOVES: Record<OperatorAction['action'], { from: AlertStatus[]; to?: AlertStatus }> = {
  ack: { from: ['open'], to: 'acknowledged' },
  assign: { from: ['open', 'acknowledged'] },
  comment: { from: ['open', 'acknowledged', 'resolved', 'dismissed'] },
  resolve: { from: ['open', 'acknowledged'], to: 'resolved' },
  dismiss: { from: ['open', 'acknowledged'], to: 'dismissed' },
  reopen: { from: ['resolved', 'dismissed'], to: 'open' },
};

export type ActionOutcome =
  | { ok: true; alert: Alert }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'version'; current: Alert }
  | { ok: false; reason: 'transition'; current: Alert }
  /** Reopening refused: another alert of the same rule and key is active (one active alert per key). */
  | { ok: false; reason: 'key-active'; current: Alert; active: Alert };

/**
 * When the alert next escalates after `act` moved it to `to`: a reopened alert starts its
 * acknowledgement delay again, as a new one would (none while `silencedBy`, the silence that
 * holds it now); an open alert keeps its due time; any other status has none.
 */
function nextAckDue(a: Alert, act: OperatorAction, to: AlertStatus, now: Date, life: Lifecycle, silencedBy: string | null): string | null {
  if (act.action === 'reopen') return silencedBy ? null : ackDueAt(life.escalation, a.severity, now);
  return to === 'open' ? (a.ackDueAt ?? null) : null;
}

/**
 * An operator's action on the alert at `version`: a stale version changes nothing. `reopen`
 * takes a resolved or dismissed alert back to `open` (unless another alert of its rule and
 * key became active meanwhile); the engine's later transitions for the key then update it
 * as any active alert, and only a person closes it again.
 */
export async function actOnAlert(
  db: SqlClient, id: string, version: number, by: string, act: OperatorAction, now: Date, life: Lifecycle = NO_ESCALATION,
): Promise<ActionOutcome> {
  return db.transaction(async (tx) => {
    await takeSeqTurn(tx);
    const [row] = await tx.query<Row>('SELECT * FROM alerts WHERE id = $1 FOR UPDATE', [id]);
    if (!row) return { ok: false, reason: 'not-found' };
    const a = rowToAlert(row);
    if (a.version !== version) return { ok: false, reason: 'version', current: a };
    const move = MOVES[act.action];
    if (!move.from.includes(a.status)) return { ok: false, reason: 'transition', current: a };
    if (act.action === 'reopen') {
      const [other] = await tx.query<Row>(`SELECT * FROM alerts WHERE rule_id = $1 AND key = $2 AND ${ACTIVE} AND id <> $3`, [a.ruleId, a.key, id]);
      if (other) return { ok: false, reason: 'key-active', current: a, active: rowToAlert(other) };
    }
    const note = act.action === 'comment' ? act.text
      : act.action === 'dismiss' ? [act.reason, act.note].filter(Boolean).join(': ')
      : act.action === 'assign' ? act.assignee
      : act.action === 'resolve' || act.action === 'reopen' ? act.note : undefined;
    const entry: AlertHistoryEntry = { at: now.toISOString(), by, action: act.action, ...(note ? { note } : {}) };
    const to = move.to ?? a.status;
    const closes = to === 'resolved' || to === 'dismissed';
    // Reopened, it is held back only by a silence in force now, as a new alert would be: the
    // one that held it may have ended meanwhile (a silence "until this alert closes" ends as
    // it closes), and an alert still marked with it would stay out of the queue and never escalate.
    const silencedBy = act.action === 'reopen' ? await matchingSilence(tx, a.ruleId, a.key, a.zones, now) : (a.silencedBy ?? null);
    const [updated] = await tx.query<Row>(
      `UPDATE alerts SET status = $2, assignee = $3, history = $4, version = version + 1, seq = nextval('alert_seq'), updated_at = $5,
              closed_at = CASE WHEN $6 THEN $5::timestamptz WHEN $2 IN ('open', 'acknowledged') THEN NULL ELSE closed_at END,
              ack_due_at = $7, silenced_by = $8
        WHERE id = $1 RETURNING *`,
      [id, to, act.action === 'assign' ? act.assignee : act.action === 'ack' && !a.assignee ? by : a.assignee,
        JSON.stringify(append(a.history, entry)), now.toISOString(), closes, nextAckDue(a, act, to, now, life, silencedBy), silencedBy],
    );
    await recordAudit(tx, now, by, `alert.${act.action}`, id, { version, ...act });
    if (closes) await endSilencesUntilAlert(tx, id, by, now);
    return { ok: true, alert: rowToAlert(updated!) };
  });
}
