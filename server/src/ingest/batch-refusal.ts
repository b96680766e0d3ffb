import type { ErrorCode } from '../errors/catalogue.ts';
import type { IngestResult } from './pipeline.ts';

/**
 * The error a batch of which nothing was stored answers with, the same through every door
 * (`POST /api/v1/events`, `POST /api/v1/ingest/{format}`, a dead letter's replay), or undefined
 * when something was stored (202) or nothing refused (an empty message). The code is the one
 * every refused item shares, when they share one a client can act on as a whole: all of them
 * conflicts (409: stored before under their ids with another content; the CSV import answers
 * such a chunk record by record), all of them for sources the token may not send for (403);
 * any other mix is 400 `VIGIE_EVENT_INVALID`. One conflict among invalid items is not a
 * conflict of the batch: the batch has data to fix. The items are listed in the details.
 */
export function batchRefusal(result: IngestResult): { code: ErrorCode; message: string } | undefined {
  if (result.accepted > 0 || result.duplicates > 0 || result.rejected.length === 0) return undefined;
  const all = (code: ErrorCode) => result.rejected.every((x) => x.error.code === code);
  const code: ErrorCode = all('VIGIE_EVENT_CONFLICT') ? 'VIGIE_EVENT_CONFLICT' : all('VIGIE_TOKEN_FORBIDDEN') ? 'VIGIE_TOKEN_FORBIDDEN' : 'VIGIE_EVENT_INVALID';
  const n = result.rejected.length;
  return { code, message: `no item stored: ${n === 1 ? 'the item was' : `all ${n} items were`} refused; the first: ${result.rejected[0]!.error.message}` };
}
