import { unifiedDiff, type AlertTransition, type ShadowAlert } from '@vigie/rules';
import { recordAudit } from '../storage/audit-repo.ts';
import { iso, num, type SqlClient } from '../storage/sql-client.ts';

/** A rule as stored: the version in force, its YAML and whether it runs in shadow mode. */
export type StoredRule = { id: string; version: number; yaml: string; shadow: boolean; updatedAt: string; updatedBy: string };
export type RuleVersion = { ruleId: string; version: number; yaml: string; author: string; at: string; comment: string; diff: string };

type Row = Record<string, unknown>;
const toRule = (r: Row): StoredRule => ({
  id: r.id as string, version: num(r.published_version), yaml: r.yaml as string, shadow: Boolean(r.shadow),
  updatedAt: iso(r.updated_at), updatedBy: r.updated_by as string,
});
const toVersion = (r: Row): RuleVersion => ({
  ruleId: r.rule_id as string, version: num(r.version), yaml: r.yaml as string, author: r.author as string,
  at: iso(r.at), comment: r.comment as string, diff: r.diff as string,
});

const PUBLISHED = `SELECT r.id, r.published_version, r.shadow, r.updated_at, r.updated_by, v.yaml, v.author
  FROM rules r JOIN rule_versions v ON v.rule_id = r.id AND v.version = r.published_version`;

export async function listPublishedRules(db: SqlClient): Promise<StoredRule[]> {
  return (await db.query<Row>(`${PUBLISHED} ORDER BY r.id`)).map(toRule);
}

export async function getPublishedRule(db: SqlClient, id: string): Promise<StoredRule | undefined> {
  const [row] = await db.query<Row>(`${PUBLISHED} WHERE r.id = $1`, [id]);
  return row ? toRule(row) : undefined;
}

export async function listRuleVersions(db: SqlClient, id: string): Promise<RuleVersion[]> {
  return (await db.query<Row>('SELECT * FROM rule_versions WHERE rule_id = $1 ORDER BY version DESC', [id])).map(toVersion);
}

export async function getRuleVersion(db: SqlClient, id: string, version: number): Promise<RuleVersion | undefined> {
  const [row] = await db.query<Row>('SELECT * FROM rule_versions WHERE rule_id = $1 AND version = $2', [id, version]);
  return row ? toVersion(row) : undefined;
}

/**
 * `over`: publish only over a version in force written by this author (else `edited`).
 * `base`: publish only over this version in force, the one the editor started from (else
 * `stale`, with the rule in force now): another supervisor's publish is never overwritten unseen.
 */
export type PublishInput = { id: string; yaml: string; author: string; comment: string; now: Date; shadow?: boolean; over?: string; base?: number };
export type PublishOutcome =
  | { ok: true; rule: StoredRule; version: RuleVersion }
  | { ok: false; reason: 'exists' | 'not-found' | 'unchanged' | 'edited' }
  | { ok: false; reason: 'stale'; current: StoredRule };

/**
 * Publishes `yaml` as the next version of rule `id`, with its author, comment and the diff
 * against the version in force, and writes the audit log. `mode` create refuses an id in
 * use, update refuses an unknown one; a text identical to the version in force is refused.
 */
export function publishRule(db: SqlClient, p: PublishInput, mode: 'create' | 'update', action = mode === 'create' ? 'rule.create' : 'rule.publish'): Promise<PublishOutcome> {
  return db.transaction(async (tx) => {
    // Serialises publishes of one rule across nodes (also when the row does not exist yet).
    await tx.query('SELECT pg_advisory_xact_lock(7216, hashtext($1))', [p.id]);
    const [cur] = await tx.query<Row>(`${PUBLISHED} WHERE r.id = $1`, [p.id]);
    if (mode === 'create' && cur) return { ok: false, reason: 'exists' };
    if (mode === 'update' && !cur) return { ok: false, reason: 'not-found' };
    const before = cur ? (cur.yaml as string) : '';
    if (cur && before === p.yaml && (p.shadow === undefined || p.shadow === Boolean(cur.shadow))) return { ok: false, reason: 'unchanged' };
    if (cur && p.over !== undefined && cur.author !== p.over) return { ok: false, reason: 'edited' };
    if (cur && p.base !== undefined && num(cur.published_version) !== p.base) return { ok: false, reason: 'stale', current: toRule(cur) };
    const [{ v }] = (await tx.query<{ v: unknown }>('SELECT COALESCE(max(version), 0) + 1 AS v FROM rule_versions WHERE rule_id = $1', [p.id])) as [{ v: unknown }];
    const version = num(v);
    const diff = cur ? unifiedDiff(before, p.yaml) : '';
    const at = p.now.toISOString();
    const [vrow] = await tx.query<Row>(
      'INSERT INTO rule_versions (rule_id, version, yaml, author, at, comment, diff) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
      [p.id, version, p.yaml, p.author, at, p.comment, diff],
    );
    const shadow = p.shadow ?? (cur ? Boolean(cur.shadow) : false);
    await tx.query(
      `INSERT INTO rules (id, published_version, shadow, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET published_version = EXCLUDED.published_version, shadow = EXCLUDED.shadow,
         updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [p.id, version, shadow, at, p.author],
    );
    await recordAudit(tx, p.now, p.author, action, p.id, { version, comment: p.comment, shadow, diff });
    return { ok: true, rule: { id: p.id, version, yaml: p.yaml, shadow, updatedAt: at, updatedBy: p.author }, version: toVersion(vrow!) };
  });
}

/** Who publishes the library's rules. */
export const LIBRARY_AUTHOR = 'system';

/**
 * Seeds a rule from its library file: version 1 when its id is absent; when the library's
 * text changed (a new release) and the version in force is still one the library wrote, the
 * file's text as the next version; a version a supervisor published is kept (`edited`).
 */
export async function seedRule(db: SqlClient, id: string, yaml: string, file: string, now: Date): Promise<'created' | 'updated' | 'kept' | 'edited'> {
  const created = await publishRule(db, { id, yaml, author: LIBRARY_AUTHOR, comment: `seeded from ${file}`, now }, 'create', 'rule.seed');
  if (created.ok) return 'created';
  const updated = await publishRule(db, { id, yaml, author: LIBRARY_AUTHOR, comment: `library update from ${file}`, now, over: LIBRARY_AUTHOR }, 'update', 'rule.library-update');
  return updated.ok ? 'updated' : updated.reason === 'edited' ? 'edited' : 'kept';
}

/** Turns shadow mode on or off for the version in force (audited). */
export function setRuleShadow(db: SqlClient, id: string, shadow: boolean, actor: string, now: Date): Promise<StoredRule | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<Row>('UPDATE rules SET shadow = $2, updated_at = $3, updated_by = $4 WHERE id = $1 RETURNING id', [id, shadow, now.toISOString(), actor]);
    if (!row) return undefined;
    await recordAudit(tx, now, actor, shadow ? 'rule.shadow-on' : 'rule.shadow-off', id, { shadow });
    const [cur] = await tx.query<Row>(`${PUBLISHED} WHERE r.id = $1`, [id]);
    return toRule(cur!);
  });
}

/** Records the alerts of rules in shadow mode (never pushed to the operators). */
export async function insertShadowAlerts(db: SqlClient, transitions: AlertTransition[]): Promise<void> {
  if (!transitions.length) return;
  await db.query(
    `INSERT INTO shadow_alerts (rule_id, rule_version, key, kind, at, severity, title, translations, zones, lat, lon, explanation, evidence)
     SELECT rule_id, rule_version, key, kind, at, severity, title, translations, zones, lat, lon, explanation, evidence
       FROM jsonb_to_recordset($1::jsonb) AS x(rule_id text, rule_version int, key text, kind text, at timestamptz, severity text,
            title text, translations jsonb, zones jsonb, lat float8, lon float8, explanation jsonb, evidence jsonb)`,
    [JSON.stringify(transitions.map((t) => ({
      rule_id: t.ruleId, rule_version: t.ruleVersion, key: t.key, kind: t.kind, at: new Date(t.at).toISOString(), severity: t.severity,
      title: t.title, translations: t.translations ?? {}, zones: t.zones, lat: t.location?.lat ?? null, lon: t.location?.lon ?? null, explanation: t.explanation, evidence: t.evidence,
    })))],
  );
}

export async function listShadowAlerts(db: SqlClient, id: string, limit: number): Promise<ShadowAlert[]> {
  const rows = await db.query<Row>('SELECT * FROM shadow_alerts WHERE rule_id = $1 ORDER BY at DESC, id DESC LIMIT $2', [id, limit]);
  return rows.map((r) => ({ ruleId: r.rule_id as string, ruleVersion: num(r.rule_version), key: r.key as string, kind: r.kind as string, at: iso(r.at), title: r.title as string, translations: (r.translations as ShadowAlert['translations'] | null) ?? {}, zones: r.zones as string[] }));
}
