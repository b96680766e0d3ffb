import { iso, num, type SqlClient } from './sql-client.ts';

/** One line of the audit log: who did what to what, when, with the details. */
export type AuditEntry = { id: number; at: string; actor: string; action: string; target: string; details: unknown };

export async function recordAudit(db: SqlClient, at: Date, actor: string, action: string, target: string, details: unknown): Promise<void> {
  await db.query('INSERT INTO audit_log (at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5)',
    [at.toISOString(), actor, action, target, JSON.stringify(details ?? null)]);
}

export type AuditQuery = { actor?: string; action?: string; target?: string; since?: string; until?: string; before?: number; limit: number };

/** Newest first; `before` (an entry id) pages back. */
export async function listAudit(db: SqlClient, q: AuditQuery): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
  if (q.actor) add('actor = ?', q.actor);
  if (q.action) add(q.action.endsWith('*') ? 'action LIKE ?' : 'action = ?', q.action.endsWith('*') ? `${q.action.slice(0, -1)}%` : q.action);
  if (q.target) add('target = ?', q.target);
  if (q.since) add('at >= ?', q.since);
  if (q.until) add('at < ?', q.until);
  if (q.before !== undefined) add('id < ?', q.before);
  params.push(q.limit);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`, params);
  return rows.map((r) => ({ id: num(r.id), at: iso(r.at), actor: r.actor as string, action: r.action as string, target: r.target as string, details: r.details ?? null }));
}
