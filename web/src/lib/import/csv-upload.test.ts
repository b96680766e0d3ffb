import { describe, expect, it } from 'vitest';
import { planChunks, splitCsv } from './csv-records.ts';
import { backoffMs, ratePerSecond, remainingMs, runUpload, type UploadDeps, type UploadJob, type UploadProgress } from './csv-upload.ts';
import { rejectedCsv, rejectedRecordsCsv } from './rejected-csv.ts';

type Call = { url: string; body: string; headers: Record<string, string> };
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | 'network';

/** A fake ingest API: `answer` decides each reply from the request's CSV records (ids). */
function fakeServer(answer: (ids: string[], call: number) => Reply) {
  const calls: Call[] = [];
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const body = String(init?.body);
    calls.push({ url, body, headers: init?.headers as Record<string, string> });
    const ids = splitCsv(body).records.map((r) => r.text.split(';')[0]!);
    const r = answer(ids, calls.length);
    if (r === 'network') throw new TypeError('Failed to fetch');
    return new Response(r.body === undefined ? '' : JSON.stringify(r.body), { status: r.status, headers: r.headers });
  };
  return { calls, fetch };
}

/** Accepts every record except ids starting with "bad" (refused as the server does, per item). */
const judge = (ids: string[]): Reply => {
  const rejected = ids.flatMap((id, index) => (id.startsWith('bad') ? [{ index, error: { code: 'VIGIE_VALIDATION', field: 'date', message: 'date: not a date and time' } }] : []));
  const accepted = ids.length - rejected.length;
  return accepted ? { status: 202, body: { accepted, duplicates: 0, rejected } } : { status: 400, body: { error: { code: 'VIGIE_EVENT_INVALID', message: 'no valid item', details: { accepted: 0, duplicates: 0, rejected } } } };
};

function job(lines: string[], maxRecords = 3): UploadJob {
  const split = splitCsv(['numero;nature;date', ...lines].join('\n'));
  return { split, chunks: planChunks(split, { maxRecords, maxBytes: 1 << 20 }), source: 'csu', mapping: { id: 'numero' } };
}

function deps(fetch: UploadDeps['fetch']): UploadDeps & { slept: number[] } {
  let clock = 0;
  const slept: number[] = [];
  return {
    fetch,
    csrfToken: () => 'tok',
    sleep: async (ms) => {
      slept.push(ms);
      clock += ms;
    },
    now: () => (clock += 10),
    random: () => 0.5,
    slept,
  };
}

const run = (j: UploadJob, d: UploadDeps, extra: { signal?: AbortSignal; onProgress?: (p: UploadProgress) => void } = {}) =>
  runUpload(j, d, { signal: extra.signal ?? new AbortController().signal, onProgress: extra.onProgress ?? (() => {}) });

describe('runUpload', () => {
  it('sends one chunk after the other with the header, the mapping and the CSRF token, and adds up the answers', async () => {
    const server = fakeServer(judge);
    const j = job(['1;vol;x', '2;vol;x', 'bad3;vol;x', '4;vol;x', '5;vol;x', '6;vol;x', '7;vol;x']);
    const seen: number[] = [];
    const out = await run(j, deps(server.fetch), { onProgress: (p) => seen.push(p.processed) });
    expect(out.kind).toBe('done');
    expect(server.calls).toHaveLength(3);
    expect(server.calls[0]!.url).toBe('/api/v1/ingest/csv?source=csu&map.id=numero&import=true'); // a one-off upload, not a live feed
    expect(server.calls[0]!.headers['X-CSRF-Token']).toBe('tok');
    expect(server.calls[0]!.body).toBe('numero;nature;date\n1;vol;x\n2;vol;x\nbad3;vol;x\n');
    expect(server.calls[2]!.body).toBe('numero;nature;date\n7;vol;x\n');
    expect(out.progress).toMatchObject({ processed: 7, total: 7, accepted: 6, duplicates: 0, done: 3, chunks: 3 });
    expect(out.progress.rejected).toEqual([{ number: 3, line: 4, field: 'date', message: 'not a date and time', text: 'bad3;vol;x' }]);
    expect(seen).toEqual([0, 3, 6, 7, 7].slice(0, seen.length));
  });

  it('numbers a rejected record by its place in the file: chunk offset + index + 1', async () => {
    const server = fakeServer(judge);
    const lines = Array.from({ length: 25 }, (_, i) => `${[5, 17, 24].includes(i + 1) ? 'bad' : ''}${i + 1};vol;x`);
    const out = await run(job(lines, 4), deps(server.fetch));
    expect(out.progress.rejected.map((r) => r.number)).toEqual([5, 17, 24]);
    expect(out.progress.accepted).toBe(22);
  });

  it('takes a chunk where nothing is valid (400 with the rejections) as an answer', async () => {
    const server = fakeServer(judge);
    const out = await run(job(['bad1;a;x', 'bad2;a;x', '3;a;x'], 2), deps(server.fetch));
    expect(out.kind).toBe('done');
    expect(out.progress.rejected.map((r) => r.number)).toEqual([1, 2]);
    expect(out.progress.accepted).toBe(1);
  });

  it('takes a chunk whose every record is already stored with another content (409 with the conflicts) as an answer, and goes on', async () => {
    const server = fakeServer((ids) => {
      if (!ids.every((id) => id.startsWith('old'))) return judge(ids);
      const rejected = ids.map((id, index) => ({ index, error: { code: 'VIGIE_EVENT_CONFLICT', field: 'id', message: `an event csu/${id} is already stored with a different body`, reason: { key: 'conflict' } } }));
      return { status: 409, body: { error: { code: 'VIGIE_EVENT_CONFLICT', message: 'no valid item', details: { accepted: 0, duplicates: 0, rejected } } } };
    });
    const out = await run(job(['old1;a;x', 'old2;a;x', '3;a;x', '4;a;x'], 2), deps(server.fetch));
    expect(out.kind).toBe('done');
    expect(out.progress.rejected.map((r) => [r.number, r.field, r.reason?.key])).toEqual([[1, 'id', 'conflict'], [2, 'id', 'conflict']]);
    expect(out.progress.accepted).toBe(2);
    expect(out.progress.processed).toBe(4);
  });

  it('does not send records the server could not read; reports them with the others, in order', async () => {
    const server = fakeServer(judge);
    const out = await run(job(['1;a;x', '2;a', 'bad3;a;x', '4;"open;x']), deps(server.fetch));
    expect(server.calls.map((c) => splitCsv(c.body).records.length)).toEqual([2]);
    expect(out.progress.rejected.map((r) => [r.number, r.problem?.kind ?? r.field])).toEqual([[2, 'columns'], [3, 'date'], [4, 'unterminated']]);
    expect(out.progress.processed).toBe(4);
  });

  it('waits as long as Retry-After says on 429, then sends the same chunk again', async () => {
    const server = fakeServer((ids, call) => (call === 2 ? { status: 429, body: { error: { code: 'VIGIE_RATE_LIMITED', message: 'slow down' } }, headers: { 'Retry-After': '3' } } : judge(ids)));
    const d = deps(server.fetch);
    const retries: unknown[] = [];
    const out = await run(job(['1;a;x', '2;a;x', '3;a;x', '4;a;x']), d, { onProgress: (p) => p.retry && retries.push(p.retry) });
    expect(out.kind).toBe('done');
    expect(d.slept).toEqual([3000]);
    expect(retries).toEqual([{ reason: 'rate-limited', waitMs: 3000, attempt: 1 }]);
    expect(server.calls.map((c) => c.body)).toEqual([expect.stringContaining('\n1;'), expect.stringContaining('\n4;'), expect.stringContaining('\n4;')]);
    expect(out.progress.accepted).toBe(4);
  });

  it('retries 5xx and network errors with growing waits, and gives up after maxAttempts with where to resume', async () => {
    const flaky = fakeServer((ids, call) => (call === 1 ? 'network' : call === 2 ? { status: 503 } : judge(ids)));
    const d1 = deps(flaky.fetch);
    const ok = await run(job(['1;a;x']), d1);
    expect(ok.kind).toBe('done');
    expect(d1.slept).toEqual([backoffMs(1, () => 0.5), backoffMs(2, () => 0.5)]);
    expect(d1.slept).toEqual([500, 1000]);

    const down = fakeServer((ids, call) => (call === 1 ? judge(ids) : { status: 502 }));
    const d2 = deps(down.fetch);
    const out = await runUpload(job(['1;a;x', '2;a;x', '3;a;x', '4;a;x']), d2, { signal: new AbortController().signal, onProgress: () => {}, maxAttempts: 4 });
    expect(out).toMatchObject({ kind: 'failed', reason: 'unavailable', resumeAt: 1, progress: { processed: 3, accepted: 3 } });
    expect(down.calls).toHaveLength(5);

    // Resuming sends the rest and keeps the figures.
    const up = fakeServer(judge);
    const again = await runUpload(job(['1;a;x', '2;a;x', '3;a;x', '4;a;x']), deps(up.fetch), { signal: new AbortController().signal, onProgress: () => {}, resume: { chunk: out.kind === 'failed' ? out.resumeAt : 0, progress: out.progress } });
    expect(again).toMatchObject({ kind: 'done', progress: { processed: 4, accepted: 4 } });
    expect(up.calls).toHaveLength(1);
  });

  it('on resuming, counts the chunk the interrupted request had stored as stored by this import, not as duplicates', async () => {
    // A server that stores what it is sent, once per id, and answers duplicates for the rest.
    const stored = new Set<string>();
    const store = (ids: string[]): Reply => {
      const fresh = ids.filter((id) => !stored.has(id));
      fresh.forEach((id) => stored.add(id));
      return { status: 202, body: { accepted: fresh.length, duplicates: ids.length - fresh.length, rejected: [] } };
    };
    stored.add('0'); // a record imported before: a true duplicate
    const controller = new AbortController();
    const lines = ['0;a;x', '1;a;x', '2;a;x', '3;a;x', '4;a;x', '5;a;x'];
    // The second chunk is stored, but the answer never comes: the user cancels meanwhile.
    const cut = (_url: string, init?: RequestInit) => {
      const ids = splitCsv(String(init?.body)).records.map((r) => r.text.split(';')[0]!);
      const reply = store(ids);
      if (ids.includes('3')) {
        controller.abort();
        return Promise.reject(new DOMException('aborted', 'AbortError'));
      }
      return Promise.resolve(new Response(JSON.stringify((reply as { body: unknown }).body), { status: 202 }));
    };
    const first = await run(job(lines), deps(cut), { signal: controller.signal });
    expect(first).toMatchObject({ kind: 'cancelled', resumeAt: 1, unanswered: true, progress: { processed: 3, accepted: 2, duplicates: 1, recovered: 0 } });
    if (first.kind === 'done') throw new Error('not stopped');
    const again = await runUpload(job(lines), deps(fakeServer(store).fetch), {
      signal: new AbortController().signal, onProgress: () => {}, resume: { chunk: first.resumeAt, progress: first.progress, unanswered: first.unanswered },
    });
    expect(again).toMatchObject({ kind: 'done', progress: { processed: 6, accepted: 5, recovered: 3, duplicates: 1 } });
  });

  it('counts as stored what a request cut off by the network had stored, found on its retry', async () => {
    const stored = new Set<string>();
    const server = fakeServer((ids, call) => {
      const fresh = ids.filter((id) => !stored.has(id));
      fresh.forEach((id) => stored.add(id));
      return call === 1 ? 'network' : { status: 202, body: { accepted: fresh.length, duplicates: ids.length - fresh.length, rejected: [] } };
    });
    const out = await run(job(['1;a;x', '2;a;x', '3;a;x', '4;a;x']), deps(server.fetch));
    expect(out).toMatchObject({ kind: 'done', progress: { accepted: 4, recovered: 3, duplicates: 0 } });
  });

  it('halves a chunk the server cannot read until the bad record is alone', async () => {
    const server = fakeServer((ids) => (ids.includes('x5') ? { status: 400, body: { error: { code: 'VIGIE_FEED_MALFORMED', message: 'malformed CSV: Invalid Opening Quote' } } } : judge(ids)));
    const lines = Array.from({ length: 8 }, (_, i) => `${i === 4 ? 'x' : ''}${i + 1};a;x`);
    const out = await run(job(lines, 8), deps(server.fetch));
    expect(out.kind).toBe('done');
    expect(out.progress.accepted).toBe(7);
    expect(out.progress.rejected).toEqual([{ number: 5, line: 6, field: '', message: 'malformed CSV: Invalid Opening Quote', text: 'x5;a;x' }]);
  });

  it('stops on 401 (signed out) and on other refusals, with the server message', async () => {
    const gone = await run(job(['1;a;x']), deps(fakeServer(() => ({ status: 401, body: { error: { code: 'VIGIE_UNAUTHENTICATED', message: 'sign in' } } })).fetch));
    expect(gone).toMatchObject({ kind: 'failed', reason: 'session', message: 'sign in', resumeAt: 0 });
    const bad = await run(job(['1;a;x']), deps(fakeServer(() => ({ status: 400, body: { error: { code: 'VIGIE_VALIDATION', message: 'source: required' } } })).fetch));
    expect(bad).toMatchObject({ kind: 'failed', reason: 'refused', message: 'source: required' });
  });

  it('cancels: the request in flight is aborted and the run says where it stopped', async () => {
    const controller = new AbortController();
    let calls = 0;
    const fetch = (_url: string, init?: RequestInit) => {
      calls++;
      if (calls === 1) return Promise.resolve(new Response(JSON.stringify({ accepted: 3, duplicates: 0, rejected: [] }), { status: 202 }));
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        controller.abort();
      });
    };
    const out = await run(job(['1;a;x', '2;a;x', '3;a;x', '4;a;x']), deps(fetch), { signal: controller.signal });
    expect(out).toMatchObject({ kind: 'cancelled', resumeAt: 1, progress: { processed: 3, accepted: 3 } });
  });

  it('measures the rate over the time spent sending', () => {
    expect(ratePerSecond({ processed: 500, elapsedMs: 250 } as UploadProgress)).toBe(2000);
    expect(ratePerSecond({ processed: 0, elapsedMs: 0 } as UploadProgress)).toBe(0);
  });

  it('tells the time left at the rate so far, none before the first answer or once done', () => {
    expect(remainingMs({ processed: 5000, total: 200_000, elapsedMs: 2000 } as UploadProgress)).toBe(78_000);
    expect(remainingMs({ processed: 0, total: 200_000, elapsedMs: 800 } as UploadProgress)).toBeNull();
    expect(remainingMs({ processed: 200_000, total: 200_000, elapsedMs: 80_000 } as UploadProgress)).toBeNull();
  });
});

describe('rejectedCsv', () => {
  it('lists record, line, field and message before the record itself, under the file header', async () => {
    const server = fakeServer(judge);
    const j = job(['1;a;x', 'bad2;"vol; ""à"" la tire";x', '3;a']);
    const out = await run(j, deps(server.fetch));
    const csv = rejectedCsv(out.progress.rejected, j.split.header, j.split.delimiter, { record: 'enregistrement', line: 'ligne', field: 'champ', message: 'message' }, (r) => (r.problem ? 'colonnes' : r.message));
    expect(csv).toBe('\uFEFFenregistrement;ligne;champ;message;numero;nature;date\r\n2;3;date;not a date and time;bad2;"vol; ""à"" la tire";x\r\n3;4;;colonnes;3;a\r\n');
  });

  it('gives the rejected records alone under the file header, to fix and import again as they are', async () => {
    const server = fakeServer(judge);
    const j = job(['1;a;x', 'bad2;"vol; ""à""\nla tire";x', '3;a']);
    const out = await run(j, deps(server.fetch));
    const csv = rejectedRecordsCsv(out.progress.rejected, j.split.header);
    expect(csv).toBe('\uFEFFnumero;nature;date\r\nbad2;"vol; ""à""\nla tire";x\r\n3;a\r\n');
    // The page reads it back as the same records.
    expect(splitCsv(csv).records.map((r) => r.text)).toEqual(['bad2;"vol; ""à""\nla tire";x', '3;a']);
  });
});
