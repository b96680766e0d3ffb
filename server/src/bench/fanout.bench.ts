// `npm run bench:fanout -w @vigie/server`: alert messages delivered per second to 1000
// connected socket.io clients, with p50/p99 latency from publish to receipt, through the
// batched fan-out (one frame per flush window) as JSON and packed (`deflate-raw`: the window
// compressed once for all clients, what the console asks for) and, in the same run, the
// naive way (one JSON emit per alert per client). The server is a separate process
// (fanout-node.ts); the clients live here: every 100th client is a probe that decodes each
// message (inflating packed frames) and times it, the others count messages without
// decoding them (lazy-parser.ts: raw JSON text, or a packed frame's clear header), so that
// this process's parsing is not what gets measured. Figures are reported against the naive
// baseline.
import { fork, type ChildProcess } from 'node:child_process';
import { inflateRawSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { AlertBatchBody, AlertMessage, ClientToServer, LiveEncoding, PackedHeader, ServerToClient } from '@vigie/rules';
import type { DoneMessage, ReadyMessage, StartMessage } from './fanout-node.ts';
import { countMessages, lazyParser } from './lazy-parser.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
/** Alerts published in each mode (the same number, for a fair comparison). */
const ALERTS = Number(process.env.BENCH_ALERTS ?? 1000);
const FLUSH_MS = Number(process.env.BENCH_FLUSH_MS ?? 30);
/** How long after publishing the clients may take to receive everything. */
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 30_000);
const PROBE_EVERY = Number(process.env.BENCH_PROBE_EVERY ?? 100);

type Result = { serverBusy: number; mode: string; alerts: number; delivered: number; expected: number; seconds: number; perSecond: number; p50: number; p99: number; frames: number; timed: number };

const quantile = (sorted: Float64Array, q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);

async function run(mode: string, flushMs: number, alerts: number, encoding: LiveEncoding = 'json'): Promise<Result> {
  const child: ChildProcess = fork(new URL('./fanout-node.ts', import.meta.url).pathname, [String(flushMs)], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<ReadyMessage>((resolve) => child.once('message', (m) => resolve(m as ReadyMessage)));
  const url = `http://127.0.0.1:${ready.port}/live`;
  const sockets: Socket<ServerToClient, ClientToServer>[] = [];
  const latencies = new Float64Array(alerts * Math.ceil(CLIENTS / PROBE_EVERY));
  let timed = 0;
  let delivered = 0;
  let frames = 0;
  let lastAt = 0;
  const onProbe = (ms: AlertMessage[]) => {
    const now = performance.timeOrigin + performance.now();
    frames++;
    delivered += ms.length;
    for (const m of ms) latencies[timed++] = now - Number(m.alert.explanation.numbers.sentAt);
    lastAt = now;
  };
  const onCount = (raw: unknown) => {
    frames++;
    delivered += countMessages(raw as string);
    lastAt = performance.timeOrigin + performance.now();
  };
  const onPackedProbe = (_h: PackedHeader, body: string) => {
    const b = JSON.parse(inflateRawSync(Buffer.from(body, 'base64')).toString('utf8')) as AlertBatchBody;
    onProbe([...b.created, ...b.updated]);
  };
  const onPackedCount = (h: PackedHeader) => {
    frames++;
    delivered += h.created + h.updated;
    lastAt = performance.timeOrigin + performance.now();
  };
  for (let i = 0; i < CLIENTS; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, (_, k) => new Promise<void>((resolve, reject) => {
      const probe = (i + k) % PROBE_EVERY === 0;
      const s: Socket<ServerToClient, ClientToServer> = io(url, { transports: ['websocket'], extraHeaders: { cookie: ready.cookie }, auth: { encoding }, reconnection: false, forceNew: true, ...(probe ? {} : { parser: lazyParser }) });
      s.on('alert:new', probe ? onProbe : (onCount as never));
      s.on('alert:packed', probe ? onPackedProbe : onPackedCount);
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
      sockets.push(s);
    })));
  }
  const expected = alerts * CLIENTS;
  const start = performance.timeOrigin + performance.now();
  const done = new Promise<number>((resolve) => child.on('message', (m) => resolve((m as DoneMessage).busy)));
  child.send({ rate: RATE, count: alerts } satisfies StartMessage);
  const deadline = Date.now() + alerts / RATE * 1000 + DRAIN_MS;
  while (delivered < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const seconds = ((lastAt || start) - start) / 1000;
  const serverBusy = await Promise.race([done, new Promise<number>((r) => setTimeout(() => r(NaN), 5000))]);
  const sorted = latencies.slice(0, timed).sort();
  for (const s of sockets) s.close();
  child.disconnect();
  if (!process.env.BENCH_PROF) child.kill();
  return { serverBusy, mode, alerts, delivered, expected, seconds, perSecond: delivered / CLIENTS / Math.max(seconds, 1e-9), p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), frames, timed };
}

console.log(`fan-out: ${CLIENTS} socket.io clients, alerts published at ${RATE}/s (server in its own process, clients in this one; load average ${loadavg()[0]!.toFixed(1)})`);
const MODES = (process.env.BENCH_MODES ?? 'packed,json,naive').split(',');
const results: Result[] = [];
if (MODES.includes('packed')) results.push(await run(`packed (${FLUSH_MS} ms, deflate-raw)`, FLUSH_MS, ALERTS, 'deflate-raw'));
if (MODES.includes('json')) results.push(await run(`batched (${FLUSH_MS} ms window, JSON)`, FLUSH_MS, ALERTS));
if (MODES.includes('naive')) results.push(await run('naive (one emit per alert)', 0, ALERTS));
for (const r of results) {
  console.log(`  ${r.mode.padEnd(34)} ${r.alerts} alerts: ${(r.delivered / r.expected * 100).toFixed(1)}% delivered, ` +
    `${Math.round(r.perSecond)} alerts/s per client (x${CLIENTS} clients), p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms ` +
    `(${r.timed} timed on probes), ${r.frames} frames, server event loop ${(r.serverBusy * 100).toFixed(0)}% busy while publishing`);
}
const naive = results.find((r) => r.mode.startsWith('naive'));
for (const r of naive ? results.filter((x) => x !== naive) : []) {
  console.log(`  ${r.mode} vs naive: ${(r.perSecond / naive!.perSecond).toFixed(1)}x the alerts/s per client, p50 ${(r.p50 / naive!.p50).toFixed(2)}x and p99 ${(r.p99 / naive!.p99).toFixed(2)}x the naive latency, ` +
    `${(naive!.frames / naive!.delivered / (r.frames / r.delivered)).toFixed(0)}x fewer frames per alert`);
}
const met = (r: Result) => r.delivered === r.expected && r.perSecond >= 0.95 * RATE && r.p99 < 100 && CLIENTS >= 1000;
console.log(`  goal (1000 alerts/s to 1000 clients, p99 < 100 ms): ${results.filter((r) => r !== naive).map((r) => `${met(r) ? 'met' : 'not met'} ${r.mode.split(' ')[0]}`).join(', ')} on this machine`);
process.exit(0);
