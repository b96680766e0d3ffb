import type { RequestHandler } from 'express';
import { z } from 'zod';
import { compileRule, IsoTime, parseRule, ZoneIndex, type CompiledRule } from '@vigie/rules';
import { learnBaselines, needsBaseline } from '../engine/baselines.ts';
import { acceptedTypes, BACKTEST_PAGE_SIZE, eventPages } from '../backtest/event-pages.ts';
import { runBacktest, type BacktestResult } from '../backtest/run-backtest.ts';
import type { RulesStore } from '../rules-store/rules-store.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listZones } from '../storage/zones-repo.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';

/** The longest period a backtest covers. */
export const MAX_BACKTEST_DAYS = 31;
/** Backtests running at once on one node (each reads the events table). */
const MAX_RUNNING = 2;

const BacktestBody = z.strictObject({ yaml: z.string().max(64 * 1024), from: IsoTime, to: IsoTime })
  .refine((b) => Date.parse(b.from) < Date.parse(b.to), { path: ['to'], message: 'must be after from' })
  .refine((b) => Date.parse(b.to) - Date.parse(b.from) <= MAX_BACKTEST_DAYS * 86_400_000, { path: ['to'], message: `a backtest covers at most ${MAX_BACKTEST_DAYS} days` });

/**
 * `POST /api/v1/rules/backtest` `{yaml, from, to}`: runs the draft over the stored events of
 * the period beside the version in force. With `?stream=1` the answer is NDJSON: progress
 * lines `{type: "progress", …}` then `{type: "result", result}`; without, one JSON result.
 * Closing the connection cancels the run.
 */
export function backtestHandler(d: { db: SqlClient; store: RulesStore; timeZone: string }): RequestHandler {
  let running = 0;
  return async (req, res) => {
    const body = parseBody(BacktestBody, req.body, res);
    if (!body) return;
    const parsed = parseRule(body.yaml);
    if (!parsed.ok) return sendError(res, 'VIGIE_RULE_INVALID', `${parsed.errors[0]!.field || 'yaml'}: ${parsed.errors[0]!.message}`, { errors: parsed.errors });
    if (running >= MAX_RUNNING) {
      // A backtest takes seconds: worth asking again soon.
      res.setHeader('Retry-After', '5');
      return sendError(res, 'VIGIE_BACKTEST_BUSY', undefined, { running, max: MAX_RUNNING });
    }
    running++;
    const abort = new AbortController();
    res.on('close', () => { if (!res.writableFinished) abort.abort(); });
    const stream = req.query.stream === '1';
    try {
      const published = d.store.current().rules.find((r) => r.id === parsed.rule.id);
      const from = new Date(body.from);
      const to = new Date(body.to);
      if (stream) res.status(200).type('application/x-ndjson').setHeader('Cache-Control', 'no-store');
      let lastSent = 0;
      const draft = compileRule(parsed.rule, (published?.version ?? 0) + 1);
      const types = acceptedTypes(published ? [draft, published] : [draft]);
      const zones = await listZones(d.db);
      // Anomaly rules compare with the hour-of-week baseline: learned from the weeks before the period.
      const env = { zones: new ZoneIndex(zones), timeZone: d.timeZone };
      const learn = async (r: CompiledRule | undefined) => (r && needsBaseline(r) ? (await learnBaselines(d.db, [r], env, from))[r.id] : undefined);
      const baselines = { draft: await learn(draft), published: await learn(published) };
      const result: BacktestResult = await runBacktest(
        { draft, published, zones, timeZone: d.timeZone, from, to, baselines },
        eventPages(d.db, from, to, BACKTEST_PAGE_SIZE, types),
        {
          signal: abort.signal,
          onProgress: (p) => {
            const t = performance.now();
            if (!stream || t - lastSent < 200) return;
            lastSent = t;
            res.write(`${JSON.stringify({ type: 'progress', ...p })}\n`);
          },
        },
      );
      if (abort.signal.aborted) return;
      if (stream) res.end(`${JSON.stringify({ type: 'result', result })}\n`);
      else res.json({ result });
    } catch (e) {
      if (!res.headersSent) throw e;
      res.end(`${JSON.stringify({ type: 'error', message: String(e) })}\n`);
    } finally {
      running--;
    }
  };
}
