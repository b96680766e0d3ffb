import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '../../errors/catalogue.ts';
import { describeIssue } from '../../ingest/item-reason.ts';
import type { IngestPipeline, Sender } from '../../ingest/pipeline.ts';
import { Open311Request, open311ToEvent } from './open311-mapping.ts';

/** What a GeoReport v2 request came to: stored under its `service_request_id`, or refused with a code and a description naming the field. */
export type Open311Outcome = { ok: true; id: string } | { ok: false; code: ErrorCode; description: string };

/** Reads a request's fields (form or JSON, as parsed); a refusal names the field. */
export function parseOpen311(body: Record<string, unknown>): { ok: true; request: Open311Request } | (Open311Outcome & { ok: false }) {
  const parsed = Open311Request.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  const { field, message } = describeIssue(parsed.error.issues[0]!, body);
  return { ok: false, code: 'VIGIE_VALIDATION', description: field ? `${field}: ${message}` : message };
}

/** Stores a citizen's request as an event through the ingest pipeline; its id is the `service_request_id`. */
export async function storeOpen311(pipeline: IngestPipeline, request: Open311Request, sender: Sender, now: Date): Promise<Open311Outcome> {
  const id = `o311-${randomUUID()}`;
  const result = await pipeline.ingest([open311ToEvent(request, id, now)], sender);
  if (result.accepted === 1) return { ok: true, id };
  const e = result.rejected[0]?.error;
  return { ok: false, code: e?.code ?? 'VIGIE_EVENT_INVALID', description: e?.message ?? 'not stored' };
}

/** A request as `POST /open311/v2/requests.json` takes it, form-encoded: read, then stored (the simulator's citizens use it). */
export async function submitOpen311Form(pipeline: IngestPipeline, form: string, sender: Sender, now: Date): Promise<Open311Outcome> {
  const parsed = parseOpen311(Object.fromEntries(new URLSearchParams(form)));
  return parsed.ok ? storeOpen311(pipeline, parsed.request, sender, now) : parsed;
}
