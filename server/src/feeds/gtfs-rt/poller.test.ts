import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedIngest, MAX_UNATTENDED_BYTES } from '../../ingest/feed-ingest.ts';
import { IngestPipeline } from '../../ingest/pipeline.ts';
import { Pseudonymiser } from '../../ingest/pseudonymise.ts';
import { FeedRateLimiter } from '../../ingest/rate-limit.ts';
import { Sealer } from '../../ingest/seal.ts';
import { createLogger } from '../../logger.ts';
import { memoryDatabase, type TestDatabase } from '../../testing/databases.ts';
import { eventually } from '../../testing/harness.ts';
import { type FeedConfig, feedConfigInput, getFeedConfig, saveFeedConfig } from '../feed-configs-repo.ts';
import { encodeFeedMessage } from './gtfs-rt-adapter.ts';
import { type AllowedHosts, allowedHosts, refusedAddress } from './outbound-url.ts';
import { FeedPoller, pollOnce } from './poller.ts';

type PollConfig = Extract<FeedConfig, { kind: 'gtfs-rt-poll' }>;
const MiB = 2 ** 20;
/** What the socket buffers on both sides may hold beyond what the client read (loopback: a few MiB). */
const SLACK = 16 * MiB;

let tdb: TestDatabase;
let feeds: FeedIngest;
let server: Server;
let base: string;
let port: number;
/** Requests the "internal service" got: none may ever come from a refused poll. */
let secretHits = 0;
/** The feeds (`?f=`) that polled /counted, in order. */
const counted: string[] = [];
/** Per streaming path: the bytes the server handed to the socket, and whether the client hung up. */
const streamed = new Map<string, { sent: number; closed: boolean }>();

const feedBody = () => Buffer.from(encodeFeedMessage({
  header: { gtfsRealtimeVersion: '2.0', timestamp: Math.floor(Date.now() / 1000) },
  entity: [1, 2, 3].map((k) => ({ id: `e${k}`, vehicle: { vehicle: { id: `V${k}` }, timestamp: Math.floor(Date.now() / 1000), position: { latitude: 43.3, longitude: 5.37 } } })),
}));

/** Writes `total` bytes of zeros in 1 MiB chunks as fast as the client reads them, stopping when it hangs up. */
function stream(path: string, res: ServerResponse, total: number) {
  const chunk = Buffer.alloc(MiB);
  const s = { sent: 0, closed: false };
  streamed.set(path, s);
  res.on('close', () => { s.closed = true; });
  const pump = () => {
    while (s.sent < total) {
      if (res.destroyed) return;
      s.sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

beforeAll(async () => {
  tdb = await memoryDatabase();
  const p = new Pseudonymiser('poller-test-key-0123456789', 'k1');
  const now = () => new Date();
  feeds = new FeedIngest({ db: tdb.db, pipeline: new IngestPipeline(tdb.db, p, now), sealer: new Sealer(p.keyring), limiter: new FeedRateLimiter(0), log: createLogger('silent'), now, timeZone: 'Europe/Paris', onZones: async () => {} });
  const bomb = gzipSync(Buffer.alloc(MAX_UNATTENDED_BYTES + 16 * MiB)); // about 80 KiB on the wire
  server = createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const hops = /^\/chain\/(\d+)$/.exec(u.pathname);
    if (hops) return void res.writeHead(302, { location: Number(hops[1]) > 0 ? `/chain/${Number(hops[1]) - 1}` : '/feed' }).end();
    switch (u.pathname) {
      case '/feed': return void res.writeHead(200, { 'content-type': 'application/x-protobuf', etag: '"f1"' }).end(feedBody());
      case '/counted': counted.push(u.searchParams.get('f')!); return void res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(feedBody());
      case '/feed.gz': return void res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }).end(gzipSync(feedBody()));
      case '/secret': secretHits++; return void res.writeHead(200, { 'content-type': 'text/plain' }).end('internal service: password=hunter2');
      case '/redirect': return void res.writeHead(302, { location: u.searchParams.get('to')! }).end();
      case '/huge-declared': res.writeHead(200, { 'content-length': String(400 * MiB) }); return stream(u.pathname, res, 400 * MiB);
      case '/huge-chunked': res.writeHead(200); return stream(u.pathname, res, 200 * MiB);
      case '/bomb': return void res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb);
      default: return void res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await tdb?.drop();
});

/** The test server is on loopback: allowed explicitly, as VIGIE_FEED_ALLOW_HOSTS would. */
const LOCAL = allowedHosts(['127.0.0.1']);
let n = 0;
/** Saves a poll configuration (as stored before this check existed, or naming a host), polls it once, and answers the outcome and its lastError. */
async function poll(url: string, allow: AllowedHosts = LOCAL) {
  const id = `p${++n}`;
  await saveFeedConfig(tdb.db, { kind: 'gtfs-rt-poll', id, source: id, url, intervalSeconds: 30, enabled: true }, new Date(), true);
  const out = await pollOnce(tdb.db, feeds, (await getFeedConfig(tdb.db, id)) as PollConfig, new Date(), { allow });
  const kept = await tdb.db.query(`SELECT id FROM dead_letters WHERE source = $1`, [id]);
  return { out, lastError: (await getFeedConfig(tdb.db, id))!.lastError, deadLetters: kept.length };
}

describe('which addresses a feed may be fetched from', () => {
  it('refuses loopback, link-local, cloud metadata and unspecified addresses, IPv4-mapped ones too; allows private ranges', () => {
    for (const ip of ['127.0.0.1', '127.9.8.7', '::1', '169.254.169.254', '169.254.1.2', 'fe80::1', 'febf::1', '0.0.0.0', '0.1.2.3', '::', '::ffff:127.0.0.1', '::ffff:169.254.169.254', 'fd00:ec2::254']) {
      expect(refusedAddress(ip), ip).toBeDefined();
    }
    expect(refusedAddress('169.254.169.254')).toBe('cloud metadata');
    expect(refusedAddress('127.0.0.1')).toBe('loopback');
    for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.254', '192.168.1.10', 'fc00::1', 'fd12:3456::1', '8.8.8.8', '2001:db8::1', '100.64.0.1']) {
      expect(refusedAddress(ip), ip).toBeUndefined();
    }
  });

  it('refuses at configuration time a URL whose host is such an address as written, or localhost, naming the field', () => {
    const url = (u: string, allow = allowedHosts([])) => {
      const r = feedConfigInput(allow).safeParse({ kind: 'gtfs-rt-poll', id: 'x', source: 's', url: u });
      return r.success ? undefined : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    for (const u of ['http://127.0.0.1:3995/secret', 'http://127.1/', 'http://2130706433/', 'http://0x7f000001/', 'http://localhost/', 'http://LOCALHOST./x', 'http://api.localhost/',
      'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://0.0.0.0:8080/', 'http://0/', 'https://[::]/']) {
      expect(url(u), u).toMatch(/^url: .* an? (loopback|link-local|cloud metadata|unspecified) (address|host): Vigie does not fetch feeds from it \(VIGIE_FEED_ALLOW_HOSTS/);
    }
    expect(url('http://169.254.169.254/')).toBe('url: 169.254.169.254 is a cloud metadata address: Vigie does not fetch feeds from it (VIGIE_FEED_ALLOW_HOSTS lists hosts allowed all the same)');
    for (const u of ['http://10.0.0.5/vp.pb', 'http://172.16.0.1/', 'https://192.168.1.10:8443/gtfs-rt', 'http://[fd12::1]/', 'https://gtfs.example.org/vp.pb']) expect(url(u), u).toBeUndefined();
    expect(url('ftp://x')).toMatch(/^url: /); // not http(s): said once, by the URL check
    // Allowed hosts, as the URL writes them: the address given, not the others.
    const allow = allowedHosts(['127.0.0.1', '[::1]', 'gtfs.localhost']);
    for (const u of ['http://127.0.0.1:3995/', 'http://[0:0:0:0:0:0:0:1]/', 'http://gtfs.localhost/']) expect(url(u, allow), u).toBeUndefined();
    for (const u of ['http://localhost/', 'http://127.0.0.2/', 'http://169.254.169.254/']) expect(url(u, allow), u).toBeDefined();
  });
});

describe('pollOnce: where it connects', () => {
  it('polls an allowed server, following up to 5 redirects by hand, and decoding gzip', async () => {
    expect((await poll(`${base}/feed`)).out).toMatchObject({ status: 202, accepted: 3 });
    expect((await poll(`${base}/chain/4`)).out).toMatchObject({ status: 202, accepted: 3 }); // 4 → 3 → 2 → 1 → 0 → the feed
    expect((await poll(`${base}/feed.gz`)).out).toMatchObject({ status: 202, accepted: 3 });
    const tooMany = await poll(`${base}/chain/5`);
    expect(tooMany).toMatchObject({ out: { status: 0 }, lastError: 'poll failed: more than 5 redirects', deadLetters: 0 });
  });

  it('refuses a loopback address, and a name that resolves to one (localhost → 127.0.0.1), before sending anything', async () => {
    const literal = await poll(`${base}/secret`, allowedHosts([]));
    expect(literal).toMatchObject({ out: { status: 0 }, deadLetters: 0 });
    expect(literal.lastError).toMatch(/^poll failed: 127\.0\.0\.1 is a loopback address: Vigie does not fetch feeds from it/);
    const named = await poll(`http://localhost:${port}/secret`, allowedHosts([]));
    expect(named).toMatchObject({ out: { status: 0 }, deadLetters: 0 });
    expect(named.lastError).toMatch(/^poll failed: localhost resolves to 127\.0\.0\.1, a loopback address: Vigie does not fetch feeds from it/);
    expect(secretHits).toBe(0);
    // Listed by name, the name is fetched whatever it resolves to.
    expect((await poll(`http://localhost:${port}/feed`, allowedHosts(['localhost']))).out).toMatchObject({ status: 202 });
  });

  it('checks every redirect hop: a hop to a refused address or name is not followed', async () => {
    const to = (target: string) => `${base}/redirect?to=${encodeURIComponent(target)}`;
    const cases: [string, RegExp][] = [
      [`http://localhost:${port}/secret`, /localhost resolves to 127\.0\.0\.1, a loopback address/],
      [`http://0.0.0.0:${port}/secret`, /0\.0\.0\.0 is an unspecified address/],
      [`http://[::1]:${port}/secret`, /::1 is a loopback address/],
      [`http://[::ffff:127.0.0.2]:${port}/secret`, /::ffff:7f00:2 is a loopback address/],
      ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', /169\.254\.169\.254 is a cloud metadata address/],
      ['file:///etc/passwd', /file: URL: only http and https are fetched/],
    ];
    for (const [target, error] of cases) {
      const r = await poll(to(target));
      expect(r.out.status, target).toBe(0);
      expect(r.lastError, target).toMatch(error);
      expect(r.deadLetters, target).toBe(0);
    }
    expect(secretHits).toBe(0);
  });
});

describe('pollOnce: how much it reads', () => {
  it('refuses at once an answer whose Content-Length is over the limit, reading none of it', async () => {
    const r = await poll(`${base}/huge-declared`);
    expect(r).toMatchObject({ out: { status: 0 }, deadLetters: 0 });
    expect(r.lastError).toBe(`poll failed: the answer is ${400 * MiB} bytes (Content-Length), over the 64 MiB (${MAX_UNATTENDED_BYTES} bytes) limit: not read, nothing kept`);
    const s = await eventually(() => (streamed.get('/huge-declared')?.closed ? streamed.get('/huge-declared') : undefined));
    expect(s.sent).toBeLessThan(SLACK); // the request was cancelled: the server stopped sending
  });

  it('reads a body without a length as a stream and cancels the request as soon as it passes the limit', async () => {
    const rss = process.memoryUsage.rss();
    const r = await poll(`${base}/huge-chunked`);
    expect(r).toMatchObject({ out: { status: 0 }, deadLetters: 0 });
    expect(r.lastError).toBe(`poll failed: the answer passed the 64 MiB (${MAX_UNATTENDED_BYTES} bytes) limit: reading stopped, the request cancelled, nothing kept`);
    const s = await eventually(() => (streamed.get('/huge-chunked')?.closed ? streamed.get('/huge-chunked') : undefined));
    expect(s.sent).toBeGreaterThan(MAX_UNATTENDED_BYTES);
    expect(s.sent).toBeLessThan(MAX_UNATTENDED_BYTES + SLACK); // of the 200 MiB it would send
    expect(process.memoryUsage.rss() - rss).toBeLessThan(150 * MiB); // at most the limit held, not the whole answer
  });

  it('counts the decoded bytes: a small gzip answer that inflates past the limit is stopped', async () => {
    const r = await poll(`${base}/bomb`);
    expect(r).toMatchObject({ out: { status: 0 }, deadLetters: 0 });
    expect(r.lastError).toMatch(/the answer passed the 64 MiB .* limit/);
  });
});

describe('FeedPoller.reload', () => {
  it('polls a new or changed configuration at once, leaves an unchanged one on its rhythm, stops one turned off', async () => {
    const poller = new FeedPoller(tdb.db, feeds, createLogger('silent'), () => new Date(), ['127.0.0.1']);
    const at = new Date().toISOString();
    const config = (id: string, intervalSeconds = 3600, enabled = true) => ({ kind: 'gtfs-rt-poll', id, source: id, url: `${base}/counted?f=${id}`, intervalSeconds, enabled, etag: null, lastModified: null, lastPollAt: null, lastError: null, createdAt: at, updatedAt: at }) as FeedConfig;
    for (const id of ['ra', 'rb']) await saveFeedConfig(tdb.db, { kind: 'gtfs-rt-poll', id, source: id, url: `${base}/counted?f=${id}`, intervalSeconds: 3600, enabled: true }, new Date(), true);
    try {
      poller.reload([config('ra'), config('rb')]);
      await eventually(() => (counted.length === 2 ? true : undefined));
      // Another feed saved: only it is polled; ra and rb keep their rhythm (an hour).
      poller.reload([config('ra'), config('rb', 1800)]);
      await eventually(() => (counted.length === 3 ? true : undefined));
      expect(counted.slice(2)).toEqual(['rb']);
      // rb every second, then turned off: no more polls of it.
      poller.reload([config('ra'), config('rb', 1)]);
      await eventually(() => (counted.length >= 5 ? true : undefined));
      poller.reload([config('ra'), config('rb', 1, false)]);
      const n = counted.length;
      await new Promise((r) => setTimeout(r, 2500));
      expect(counted.length).toBeLessThanOrEqual(n + 1); // at most one already in flight
      expect(counted.filter((f) => f === 'ra')).toEqual(['ra']);
    } finally {
      poller.stop();
    }
  });
});

describe('pollOnce: a configuration changed meanwhile', () => {
  it('a poll of its previous URL that ends after the change leaves the new one\'s state alone', async () => {
    await saveFeedConfig(tdb.db, { kind: 'gtfs-rt-poll', id: 'moved', source: 'moved', url: `${base}/nothing-here`, intervalSeconds: 30, enabled: true }, new Date(), true);
    const before = (await getFeedConfig(tdb.db, 'moved')) as PollConfig;
    // The admin fixes the URL while the poll of the old one is on its way.
    await saveFeedConfig(tdb.db, { kind: 'gtfs-rt-poll', id: 'moved', source: 'moved', url: `${base}/feed`, intervalSeconds: 30, enabled: true }, new Date(), false);
    const out = await pollOnce(tdb.db, feeds, before, new Date(), { allow: LOCAL });
    expect(out.error).toMatch(/HTTP 404/);
    expect((await getFeedConfig(tdb.db, 'moved'))!.lastError).toBeNull();
  });
});
