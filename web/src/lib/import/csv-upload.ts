import type { ItemReason } from '@vigie/rules';
import { ApiError, NETWORK_ERROR, type FetchLike } from '../api/http.ts';
import { csvQuery, errorOf, isIngestAnswer, postCsv, type CsvMapping, type IngestAnswer } from './csv-api.ts';
import { csvBody, type Chunk, type CsvRecord, type CsvSplit, type RecordProblem } from './csv-records.ts';

/** A record that was not stored, and why. */
export type Rejection = {
  /** 1-based record number in the file (the header does not count). */
  number: number;
  /** Line of the file where the record starts. */
  line: number;
  /** The column or event field at fault ('' when the whole record is). */
  field: string;
  /** The server's message (English); empty for a problem found here (see `problem`). */
  message: string;
  /** The server's reason, as data (worded in the console's language). */
  reason?: ItemReason;
  /** Found in the browser, before sending. */
  problem?: RecordProblem;
  /** The record as it is in the file. */
  text: string;
};

export type RetryReason = 'rate-limited' | 'server' | 'network';

export type UploadProgress = {
  /** Records answered for (stored, duplicate or rejected), out of `total`. */
  processed: number;
  total: number;
  /** Stored by this import (`recovered` included). */
  accepted: number;
  /**
   * Of `accepted`: records a request that went unanswered (cut off, cancelled, a 5xx) had
   * stored, found already stored when their chunk was sent again (on retrying or resuming).
   * They were stored by this import: not duplicates.
   */
  recovered: number;
  /** Already stored before this import (another upload, a live feed). */
  duplicates: number;
  rejected: Rejection[];
  /** Chunks done, out of `chunks`. */
  done: number;
  chunks: number;
  /** Time spent sending (across resumes). */
  elapsedMs: number;
  /** Waiting before trying a chunk again. */
  retry: { reason: RetryReason; waitMs: number; attempt: number } | null;
};

export type StopReason = 'session' | 'forbidden' | 'refused' | 'unavailable';

export type UploadOutcome =
  | { kind: 'done'; progress: UploadProgress }
  | { kind: 'cancelled'; progress: UploadProgress; resumeAt: number; unanswered: boolean }
  | { kind: 'failed'; progress: UploadProgress; resumeAt: number; unanswered: boolean; reason: StopReason; message: string; error: ApiError };

export type UploadJob = { split: CsvSplit; chunks: readonly Chunk[]; source: string; mapping: CsvMapping };

export type UploadDeps = {
  fetch: FetchLike;
  csrfToken: () => string | null;
  /** Waits `ms`; resolves early when `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  now: () => number;
  random?: () => number;
};

export type UploadOptions = {
  signal: AbortSignal;
  onProgress: (p: UploadProgress) => void;
  /**
   * Continue an earlier run from this chunk with its figures; `unanswered`: a request of that
   * chunk went unanswered (the server may have stored it), as the stopped run's outcome says.
   */
  resume?: { chunk: number; progress: UploadProgress; unanswered?: boolean };
  /** Tries per chunk on server or network errors before giving up. */
  maxAttempts?: number;
};

export const initialProgress = (job: UploadJob): UploadProgress => ({
  processed: 0, total: job.split.records.length, accepted: 0, recovered: 0, duplicates: 0, rejected: [], done: 0, chunks: job.chunks.length, elapsedMs: 0, retry: null,
});

/** Waits before the `attempt`-th retry: 0.5 s doubling up to 15 s, ±25 % so that clients do not retry in step. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(15_000, 500 * 2 ** (attempt - 1)) * (0.75 + random() * 0.5));
}

/** Records per second so far. */
export const ratePerSecond = (p: UploadProgress): number => (p.elapsedMs > 0 ? (p.processed * 1000) / p.elapsedMs : 0);

/**
 * Time left at the rate so far, in ms; null until a first chunk is answered (no rate to go by)
 * or once everything is.
 */
export function remainingMs(p: UploadProgress): number | null {
  const rate = ratePerSecond(p);
  if (p.processed === 0 || rate === 0 || p.processed >= p.total) return null;
  return ((p.total - p.processed) / rate) * 1000;
}

class Stop extends Error {
  /** The failure as an `ApiError`, for the console to word from its code. */
  readonly error: ApiError;
  constructor(readonly reason: StopReason | 'cancelled', message: string, error?: ApiError) {
    super(message);
    this.error = error ?? new ApiError(0, NETWORK_ERROR, message);
  }
}

const MAX_RATE_WAITS = 120;

/**
 * Sends the file chunk after chunk (one request at a time), each as the header line plus
 * its records. On 429 it waits as long as Retry-After says; on 5xx and network errors it
 * retries with backoff; when the server cannot read a chunk at all (400 malformed, 413) it
 * halves it until the bad record is alone, so that one record costs only itself. Re-sending
 * is safe: the server keeps one copy per (source, id) and counts the others as duplicates;
 * where a request of the chunk went unanswered (it may have been stored), those are counted as
 * stored by this import (`recovered`), not as duplicates. Sent with `import=true`: a one-off
 * upload, which feed health lists as imported, never as a late or silent feed.
 */
export async function runUpload(job: UploadJob, deps: UploadDeps, options: UploadOptions): Promise<UploadOutcome> {
  const { signal, onProgress } = options;
  const maxAttempts = options.maxAttempts ?? 6;
  const random = deps.random ?? Math.random;
  const path = `/api/v1/ingest/csv?${csvQuery(job.source, job.mapping)}&import=true`;
  const base = options.resume?.progress ?? initialProgress(job);
  const p: UploadProgress = { ...base, recovered: base.recovered ?? 0, rejected: [...base.rejected], retry: null };
  /** A request of the current chunk went without an answer: the server may have stored it. */
  let unanswered = options.resume?.unanswered ?? false;
  const startedAt = deps.now();
  const tick = () => {
    p.elapsedMs = base.elapsedMs + (deps.now() - startedAt);
    onProgress({ ...p, rejected: p.rejected });
  };

  async function wait(ms: number, reason: RetryReason, attempt: number): Promise<void> {
    p.retry = { reason, waitMs: ms, attempt };
    tick();
    await deps.sleep(ms, signal);
    p.retry = null;
    if (signal.aborted) throw new Stop('cancelled', 'cancelled');
  }

  /** The answer for these records (indices relative to them), however many requests it takes. */
  async function send(records: readonly CsvRecord[]): Promise<IngestAnswer> {
    let attempts = 0;
    let rateWaits = 0;
    for (;;) {
      if (signal.aborted) throw new Stop('cancelled', 'cancelled');
      let reply;
      try {
        reply = await postCsv(deps.fetch, path, csvBody(job.split.header, records), deps.csrfToken(), signal);
      } catch (e) {
        unanswered = true;
        if (signal.aborted) throw new Stop('cancelled', 'cancelled');
        if (++attempts >= maxAttempts) throw new Stop('unavailable', e instanceof Error ? e.message : String(e));
        await wait(backoffMs(attempts, random), 'network', attempts);
        continue;
      }
      const error = errorOf(reply.body);
      const message = error?.message ?? `HTTP ${reply.status}`;
      const failure = () => new ApiError(reply.status, error?.code ?? `HTTP_${reply.status}`, message, error?.details);
      if (reply.status >= 200 && reply.status < 300 && isIngestAnswer(reply.body)) return reply.body;
      // Nothing valid in it (400), or every record already stored under its id with another content (409): each record is answered for.
      if ((reply.status === 400 || (reply.status === 409 && error?.code === 'VIGIE_EVENT_CONFLICT')) && isIngestAnswer(error?.details)) return error.details;
      if ((reply.status === 400 && error?.code === 'VIGIE_FEED_MALFORMED') || reply.status === 413) {
        if (records.length === 1) return { accepted: 0, duplicates: 0, rejected: [{ index: 0, error: { code: error?.code ?? 'HTTP_413', message } }] };
        const half = Math.ceil(records.length / 2);
        const [a, b] = [await send(records.slice(0, half)), await send(records.slice(half))];
        return { accepted: a.accepted + b.accepted, duplicates: a.duplicates + b.duplicates, rejected: [...a.rejected, ...b.rejected.map((r) => ({ ...r, index: r.index + half }))] };
      }
      if (reply.status === 429 && ++rateWaits <= MAX_RATE_WAITS) {
        await wait((reply.retryAfter ?? 1) * 1000, 'rate-limited', rateWaits);
        continue;
      }
      if (reply.status >= 500 || reply.status === 408 || reply.status === 429) {
        if (reply.status !== 429) unanswered = true;
        if (++attempts >= maxAttempts) throw new Stop('unavailable', message, failure());
        await wait(backoffMs(attempts, random), 'server', attempts);
        continue;
      }
      if (reply.status === 401) throw new Stop('session', message, failure());
      if (reply.status === 403) throw new Stop('forbidden', message, failure());
      throw new Stop('refused', message, failure());
    }
  }

  let at = options.resume?.chunk ?? 0;
  tick();
  try {
    for (; at < job.chunks.length; at++) {
      const chunk = job.chunks[at]!;
      const all = job.split.records.slice(chunk.start, chunk.end);
      const good = all.filter((r) => !r.problem);
      const answer = good.length ? await send(good) : { accepted: 0, duplicates: 0, rejected: [] };
      const refused = new Map(answer.rejected.map((r) => [good[r.index]!, r.error] as const));
      for (const r of all) {
        if (r.problem) p.rejected.push({ number: r.number, line: r.line, field: '', message: '', problem: r.problem, text: r.text });
        const e = refused.get(r);
        if (e) {
          const field = e.field ?? '';
          const message = field && e.message.startsWith(`${field}: `) ? e.message.slice(field.length + 2) : e.message;
          p.rejected.push({ number: r.number, line: r.line, field, message, ...(e.reason ? { reason: e.reason } : {}), text: r.text });
        }
      }
      // Found stored after a request went unanswered: that request stored them.
      const recovered = unanswered ? answer.duplicates : 0;
      p.accepted += answer.accepted + recovered;
      p.recovered += recovered;
      p.duplicates += answer.duplicates - recovered;
      unanswered = false;
      p.processed += all.length;
      p.done = at + 1;
      tick();
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    p.retry = null;
    tick();
    const progress = { ...p };
    return e.reason === 'cancelled' ? { kind: 'cancelled', progress, resumeAt: at, unanswered } : { kind: 'failed', progress, resumeAt: at, unanswered, reason: e.reason, message: e.message, error: e.error };
  }
  return { kind: 'done', progress: { ...p } };
}

/** A sleep that ends early when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
