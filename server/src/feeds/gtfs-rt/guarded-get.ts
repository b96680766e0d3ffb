import { type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { type AllowedHosts, guard, OutboundRefused } from './outbound-url.ts';

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export type GetOptions = { headers: Record<string, string>; allow: AllowedHosts; maxBytes: number; timeoutMs: number };
export type GetAnswer = { status: number; url: URL; headers: IncomingHttpHeaders; body: Buffer };

const mib = (bytes: number) => `${+(bytes / 2 ** 20).toFixed(1)} MiB (${bytes} bytes)`;

/**
 * GET `start`, following at most MAX_REDIRECTS redirects by hand, each hop's host checked
 * (outbound-url.ts) before anything is sent to it. A 2xx answer's body is read as a stream and
 * decoded (gzip, br), at most `maxBytes` of it: a Content-Length over that refuses it unread,
 * and a body passing it cancels the request at once; either way the error names the limit.
 * Other answers' bodies are not read. `timeoutMs` bounds the whole exchange.
 */
export async function guardedGet(start: string, o: GetOptions): Promise<GetAnswer> {
  const signal = AbortSignal.timeout(o.timeoutMs);
  let url = new URL(start);
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused(`${url.protocol} URL: only http and https are fetched`);
      const res = await send(url, o, signal);
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (!REDIRECTS.has(status) || !location) {
        const body = status >= 200 && status < 300 ? await readBounded(res, o.maxBytes) : (res.destroy(), Buffer.alloc(0));
        return { status, url, headers: res.headers, body };
      }
      res.destroy();
      if (hop === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
    }
  } catch (e) {
    if (signal.aborted) throw new Error(`no complete answer from ${url.host} within ${o.timeoutMs / 1000} s`);
    throw e;
  }
}

/** One request, on a connection of its own (never a pooled one another caller opened unchecked). */
function send(url: URL, o: GetOptions, signal: AbortSignal): Promise<IncomingMessage> {
  const { lookup } = guard(url, o.allow);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const headers = { 'user-agent': 'vigie-feed-poller', ...o.headers, 'accept-encoding': 'gzip, br' };
    const req = request(url, { headers, agent: false, signal, ...(lookup ? { lookup } : {}) }, resolve);
    req.on('error', reject);
    req.end();
  });
}

async function readBounded(res: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (declared > max) {
    res.destroy();
    throw new Error(`the answer is ${declared} bytes (Content-Length), over the ${mib(max)} limit: not read, nothing kept`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of decoded(res) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw new Error(`the answer passed the ${mib(max)} limit: reading stopped, the request cancelled, nothing kept`);
      chunks.push(chunk);
    }
  } finally {
    if (!res.complete) res.destroy(); // cancels the request: the server sends no more
  }
  return Buffer.concat(chunks, size);
}

/** The body as sent, or decoded by its Content-Encoding (the limit is on what is held in memory). */
function decoded(res: IncomingMessage): Readable {
  const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return res;
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (!decoder) throw new Error(`the answer's Content-Encoding "${encoding}" is not one asked for (gzip, br)`);
  return pipeline(res, decoder, () => {}); // an error on either side ends the reading with it
}
