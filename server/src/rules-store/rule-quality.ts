import type { RuleQuality } from '@vigie/rules';
import { num, type SqlClient } from '../storage/sql-client.ts';

export type { RuleQuality };


/** Quality of every rule over the `days` before `now`, keyed by rule id (rules without alerts are absent). */
export async function ruleQuality(db: SqlClient, now: Date, days: number): Promise<Map<string, RuleQuality>> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const rows = await db.query<Record<string, unknown>>(
    `SELECT a.rule_id,
            count(*) AS alerts,
            count(ack.at) AS acknowledged,
            count(*) FILTER (WHERE a.status = 'dismissed' AND EXISTS (
              SELECT 1 FROM jsonb_array_elements(a.history) h
               WHERE h->>'action' = 'dismiss' AND (h->>'note' = 'false_positive' OR h->>'note' LIKE 'false\\_positive:%'))) AS false_positives,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ack.at - a.created_at)) AS median_ack
       FROM alerts a
       LEFT JOIN LATERAL (SELECT min((h->>'at')::timestamptz) AS at FROM jsonb_array_elements(a.history) h WHERE h->>'action' = 'ack') ack ON true
      WHERE a.created_at >= $1
      GROUP BY a.rule_id`,
    [since],
  );
  const shadow = await db.query<{ rule_id: string; n: unknown }>(
    `SELECT rule_id, count(*) AS n FROM shadow_alerts WHERE at >= $1 AND kind = 'fired' GROUP BY rule_id`, [since]);
  const out = new Map<string, RuleQuality>();
  const empty = (): RuleQuality => ({ alerts: 0, alertsPerDay: 0, acknowledgedShare: null, falsePositiveShare: null, medianSecondsToAck: null, shadowAlerts: 0 });
  for (const r of rows) {
    const alerts = num(r.alerts);
    out.set(r.rule_id as string, {
      ...empty(),
      alerts,
      alertsPerDay: alerts / days,
      acknowledgedShare: alerts ? num(r.acknowledged) / alerts : null,
      falsePositiveShare: alerts ? num(r.false_positives) / alerts : null,
      medianSecondsToAck: r.median_ack === null || r.median_ack === undefined ? null : Math.round(num(r.median_ack)),
    });
  }
  for (const s of shadow) out.set(s.rule_id, { ...(out.get(s.rule_id) ?? empty()), shadowAlerts: num(s.n) });
  return out;
}
