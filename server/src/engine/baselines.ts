import { BaselineCounter, EventContext, type Baseline, type CityEnv, type CompiledRule, type StoredEvent } from '@vigie/rules';
import { importedBatchesSince, wasImported } from '../storage/feed-imports-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { iso } from '../storage/sql-client.ts';

/** How many weeks of history the baselines learn from. */
export const BASELINE_WEEKS = 8;
const PAGE = 10_000;

export const needsBaseline = (r: CompiledRule) =>
  r.kind === 'anomaly' || (r.kind === 'absence' && r.definition.kind === 'absence' && r.definition.for === 'auto');

/**
 * Learns the hour-of-week baselines of the rules that need one from the stored events of the
 * last weeks, read page by page in time order. Absence rules watch the live stream: they learn
 * from live messages only (an uploaded history would give a source, or the city, a rate its
 * live feed never had); anomaly rules count what happened, uploads included.
 */
export async function learnBaselines(db: SqlClient, rules: CompiledRule[], env: CityEnv, now: Date, weeks = BASELINE_WEEKS): Promise<Record<string, Baseline>> {
  const wanted = rules.filter(needsBaseline);
  if (!wanted.length) return {};
  const until = now.getTime();
  const counters = wanted.map((r) => ({ id: r.id, c: new BaselineCounter(r, until, weeks), live: r.kind === 'absence' }));
  const all = counters.filter((x) => !x.live), live = counters.filter((x) => x.live);
  let after = { time: new Date(until - weeks * 7 * 86_400_000).toISOString(), source: '', id: '' };
  // An upload's events may be stamped long before it (received since the start of the history read).
  const imports = live.length ? await importedBatchesSince(db, new Date(after.time)) : new Map();
  for (;;) {
    const rows = await db.query<{ body: StoredEvent; time: unknown; source: string; id: string }>(
      `SELECT body, time, source, id FROM events
        WHERE (time, source, id) > ($1::timestamptz, $2, $3) AND time < $4::timestamptz
        ORDER BY time, source, id LIMIT ${PAGE}`,
      [after.time, after.source, after.id, now.toISOString()],
    );
    for (const r of rows) {
      const e = new EventContext(r.body, env);
      for (const { c } of all) c.add(e);
      if (live.length && !wasImported(imports, r.body)) for (const { c } of live) c.add(e);
    }
    if (rows.length < PAGE) break;
    const last = rows[rows.length - 1]!;
    after = { time: iso(last.time), source: last.source, id: last.id };
  }
  return Object.fromEntries(counters.map(({ id, c }) => [id, c.learn()]));
}
