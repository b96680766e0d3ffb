import { Router } from 'express';
import { z } from 'zod';
import { IsoTime } from '@vigie/rules';
import { batchRefusal } from '../ingest/batch-refusal.ts';
import type { FeedIngest } from '../ingest/feed-ingest.ts';
import { MAX_BATCH_ITEMS, type IngestPipeline } from '../ingest/pipeline.ts';
import { decodeCursor, listEvents } from '../storage/events-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { requireJson, requireRole, requireSender } from './auth-middleware.ts';
import { sendError } from './errors.ts';
import { parseBody } from './validate.ts';
import { jsonBody } from './json-body.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

const EventsQuery = z.strictObject({
  source: z.string().max(64).optional(),
  type: z.string().max(100).optional(),
  since: IsoTime.optional(),
  until: IsoTime.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(500).refine((c) => decodeCursor(c) !== undefined, 'not a cursor this API gave').optional(),
});

/**
 * `POST /api/v1/events` (canonical events; the items refused are kept as a dead letter, see
 * FeedIngest.keepRefusedItems) and `GET /api/v1/events`.
 */
export function eventsRoutes(db: SqlClient, pipeline: IngestPipeline, feeds: FeedIngest): Router {
  const r = Router();
  const json = jsonBody({ limit: MAX_BODY_BYTES, strict: false });

  r.post('/', requireSender(db), requireJson, json, async (req, res) => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object') {
      return sendError(res, 'VIGIE_VALIDATION', 'the body is one event (an object) or an array of events');
    }
    const items = Array.isArray(body) ? body : [body];
    if (items.length > MAX_BATCH_ITEMS) {
      return sendError(res, 'VIGIE_BATCH_TOO_LARGE', `a batch holds at most ${MAX_BATCH_ITEMS} events; this one has ${items.length}`);
    }
    if (items.length === 0) return sendError(res, 'VIGIE_VALIDATION', 'the batch is empty');
    // Placed at the stop they name, when they carry no position (as every format's items are).
    const placed = feeds.placeEvents(items);
    const result = await pipeline.ingest(placed.items, req.sender!, {}, placed.marks);
    // Kept as they came: a replay places them again, by the stops known then.
    if (result.rejected.length) await feeds.keepRefusedItems(items, result.rejected, req.sender!);
    const refusal = batchRefusal(result); // the same answer as POST /api/v1/ingest/{format}
    if (refusal) return sendError(res, refusal.code, refusal.message, result);
    res.status(202).json(result);
  });

  r.get('/', requireRole('operator'), async (req, res) => {
    const q = parseBody(EventsQuery, req.query, res);
    if (!q) return;
    res.json(await listEvents(db, q));
  });
  return r;
}
