import { compileRule, Engine, ZoneIndex, type AlertTransition, type BacktestProgress, type BacktestResult, type Baseline, type CompiledRule, type StoredEvent, type Zone } from '@vigie/rules';

export type { BacktestProgress, BacktestResult };
import { Tally, type BacktestAlert } from './tally.ts';

/** How often the simulated clock ticks the engines between events (ms of event time). */
const TICK_MS = 30_000;



export type BacktestInput = {
  draft: CompiledRule;
  published?: CompiledRule;
  zones: Zone[];
  timeZone: string;
  from: Date;
  to: Date;
  /** Hour-of-week baselines learned before `from`, for the versions that need one (anomaly, absence `for: auto`). */
  baselines?: { draft?: Baseline; published?: Baseline };
};

/**
 * Runs a draft rule (and the published version beside it) over stored events with the same
 * pure engine as live. Pages come from `pages` oldest first; `signal` cancels between pages;
 * `onProgress` hears after each page. `clock` only measures the run's duration.
 */
export async function runBacktest(
  input: BacktestInput,
  pages: AsyncIterable<StoredEvent[]>,
  opts: { signal?: AbortSignal; onProgress?: (p: BacktestProgress) => void; clock?: () => number } = {},
): Promise<BacktestResult> {
  const clock = opts.clock ?? (() => performance.now());
  const started = clock();
  const env = { zones: new ZoneIndex(input.zones), timeZone: input.timeZone };
  // One engine runs both versions side by side (the published one under another id), so each
  // event is placed in its zones once.
  const publishedId = `${input.draft.id}--published`;
  const rules = [input.draft];
  if (input.published) rules.push(compileRule({ ...input.published.definition, id: publishedId }, input.published.version));
  const engine = new Engine(env, rules);
  const baselines: Record<string, Baseline> = {};
  if (input.baselines?.draft) baselines[input.draft.id] = input.baselines.draft;
  if (input.baselines?.published) baselines[publishedId] = input.baselines.published;
  if (Object.keys(baselines).length) engine.setBaselines(baselines);
  const mine = new Tally(input.timeZone);
  const theirs = new Tally(input.timeZone);
  const from = input.from.getTime();
  const span = Math.max(1, input.to.getTime() - from);
  let eventsRead = 0;
  let cancelled = false;
  // The clock moves with the events as the server's ticks would move it live: windows slide
  // and silences show between sparse events too.
  let simulated = from;
  const tally = (ts: AlertTransition[]) => {
    for (const t of ts) (t.ruleId === publishedId ? theirs : mine).add(t);
  };
  const tickTo = (t: number) => {
    while (simulated + TICK_MS <= t) {
      simulated += TICK_MS;
      tally(engine.tick(simulated));
    }
  };
  for await (const page of pages) {
    if (opts.signal?.aborted) { cancelled = true; break; }
    for (const e of page) {
      tickTo(Date.parse(e.time));
      tally(engine.ingest(e));
    }
    eventsRead += page.length;
    const last = Date.parse(page[page.length - 1]!.time);
    opts.onProgress?.({ eventsRead, alerts: mine.count, fraction: Math.min(1, Math.max(0, (last - from) / span)) });
  }
  if (opts.signal?.aborted) cancelled = true;
  else {
    // The end of the period: time runs on to `to`, and events still in the engines' reorder buffers are evaluated.
    tickTo(input.to.getTime());
    tally(engine.flush());
    tally(engine.tick(input.to.getTime()));
  }

  const days: { day: string; count: number }[] = [];
  for (let t = from; t < input.to.getTime(); t += 3_600_000) {
    const d = mine.day(t);
    if (days[days.length - 1]?.day !== d) days.push({ day: d, count: mine.perDay.get(d) ?? 0 });
  }
  let comparison: BacktestResult['comparison'] = null;
  if (input.published) {
    // The same alert in both runs: the same key, fired within the rules' window of each other
    // (at the same instant for rules without a window).
    const tolerance = Math.max(input.draft.windowMs ?? 0, input.published.windowMs ?? 0);
    const added = mine.missingFrom(theirs, tolerance);
    const removed = theirs.missingFrom(mine, tolerance);
    comparison = {
      publishedVersion: input.published.version,
      publishedAlerts: theirs.count,
      added: added.count,
      removed: removed.count,
      addedSample: added.sample,
      removedSample: removed.sample,
    };
  }
  return {
    from: input.from.toISOString(), to: input.to.toISOString(), eventsRead, durationMs: Math.round(clock() - started), cancelled,
    alerts: mine.count, perDay: days,
    perZone: [...mine.perZone].map(([zone, count]) => ({ zone, count })).sort((a, b) => b.count - a.count || a.zone.localeCompare(b.zone)),
    points: mine.points, sample: mine.sample, comparison,
  };
}
