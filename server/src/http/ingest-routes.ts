import express, { Router, type Request, type Response } from 'express';
import { csvMapping, csvRecordToEvent, parseCsv } from '../feeds/csv/csv-adapter.ts';
import { FeedFormatError } from '../feeds/adapter.ts';
import { type FeedAnswer, type FeedIngest, MAX_CSV_BYTES, MAX_FEED_BYTES } from '../ingest/feed-ingest.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireSender } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { charsetOf } from './charset.ts';

/** Sends a FeedIngest answer (shared by every route that takes feed messages). */
export function sendFeedAnswer(res: Response, a: FeedAnswer): void {
  if (a.retryAfter) res.setHeader('Retry-After', String(a.retryAfter));
  res.status(a.status).json(a.body);
}

/** `map.<field>=<column>` query options (CSV column mapping), and `charset` (a CSV's text encoding). */
const optionsOf = (query: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(query).filter(([k, v]) => (k.startsWith('map.') || k === 'charset') && typeof v === 'string')) as Record<string, string>;

/**
 * `POST /api/v1/ingest/{format}?source={sourceId}`: a message in a standard format, with a
 * feed token; answers like `POST /api/v1/events`. `&import=true` says it is a one-off upload
 * (the console's CSV import), not a live feed's message. `POST /api/v1/ingest/csv/preview` shows how
 * the first rows of a CSV map, without storing anything.
 */
export function ingestRoutes(db: SqlClient, feeds: FeedIngest, timeZone: string): Router {
  const r = Router();
  const raw = express.raw({ type: () => true, limit: MAX_FEED_BYTES });
  const rawCsv = express.raw({ type: () => true, limit: MAX_CSV_BYTES });

  r.post('/csv/preview', requireSender(db), rawCsv, (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const mapping = csvMapping(optionsOf(req.query));
    try {
      const records = parseCsv(body, withCharset(req).charset);
      const ctx = { source: typeof req.query.source === 'string' ? req.query.source : 'preview', now: new Date(), timeZone };
      const mapped = records.slice(0, 20).map((rec, index) => ({ index, ...csvRecordToEvent(rec, mapping, ctx) }));
      // What would be stored: the pipeline's validation, pseudonyms and scrubbed text (phones, e-mails, plates).
      const items = mapped.filter((x): x is typeof x & { item: unknown } => 'item' in x);
      const prepared = feeds.previewItems(items.map((x) => x.item), req.sender!);
      const stored = new Map(prepared.rows.map((r) => [items[r.index]!.index, r.event]));
      const refused = new Map(prepared.rejected.map((r) => [items[r.index]!.index, r.error]));
      res.json({
        rows: records.length,
        columns: Object.keys(records[0] ?? {}),
        mapping,
        preview: mapped.map((x) => {
          const e = refused.get(x.index);
          if (e) return { index: x.index, field: e.field ?? '', message: e.message, ...(e.reason ? { reason: e.reason } : {}) };
          const event = stored.get(x.index);
          if (!event) return x; // refused by the adapter, or the same record as an earlier one
          const { receivedAt: _, ...item } = event;
          return { index: x.index, item };
        }),
      });
    } catch (e) {
      if (e instanceof FeedFormatError) return sendError(res, 'VIGIE_FEED_MALFORMED', e.message);
      throw e;
    }
  });

  r.post('/:format', requireSender(db), (req, res, next) => (req.params.format === 'csv' ? rawCsv : raw)(req, res, next), async (req, res) => {
    const imported = req.query.import;
    if (imported !== undefined && imported !== 'true' && imported !== 'false') {
      return sendError(res, 'VIGIE_VALIDATION', 'import: "true" (a one-off upload, not a live feed) or "false"', { field: 'import' });
    }
    const answer = await feeds.receive({
      format: req.params.format as string,
      source: typeof req.query.source === 'string' ? req.query.source : undefined,
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      sender: req.sender!,
      contentType: req.get('content-type') ?? '',
      options: withCharset(req),
      rateLimited: true,
      imported: imported === 'true',
    });
    sendFeedAnswer(res, answer);
  });
  return r;
}

/**
 * The request's options (`optionsOf`), with the Content-Type's charset as `charset` unless an
 * option names one: kept with a dead letter, a replay reads the payload as it was sent.
 */
function withCharset(req: Request): Record<string, string> {
  const options = optionsOf(req.query);
  const charset = charsetOf(req.get('content-type'));
  return charset && options.charset === undefined ? { ...options, charset } : options;
}
