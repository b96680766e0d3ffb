// `npm run bench:fanout -w @vigie/server`: alert messages delivered per second to 1000
// connected clients, with p50/p99 latency from publish to receipt, through the
// batched fan-out (one frame per flush window) as JSON and packed (`deflate-raw`: the window
// compressed once for all clients, what the console asks for) and, in the same run, the
// naive way (one JSON emit per alert per client). The server is a separate process
// (fanout-node.ts); the clients are spread over BENCH_CLIENT_PROCS other processes
// (fanout-clients.ts): every 100th client is a socket.io client, a probe that decodes each
// message (inflating packed frames) and times it; the others are WebSocket connections that
// count messages without decoding them (counting-client.ts), so that the clients' own
// parsing, on the same cores, is not what gets measured. Figures are reported against the
// naive baseline, with the CPU time each side used.
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { LiveEncoding } from '@vigie/rules';
import type { GroupMessage, GroupStart } from './fanout-clients.ts';
import type { DoneMessage, ReadyMessage, StartMessage } from './fanout-node.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
/** Alerts published in each mode (the same number, for a fair comparison). */
const ALERTS = Number(process.env.BENCH_ALERTS ?? 3000);
const FLUSH_MS = Number(process.env.BENCH_FLUSH_MS ?? 30);
/** How long after publishing the clients may take to receive everything. */
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 30_000);
const PROBE_EVERY = Number(process.env.BENCH_PROBE_EVERY ?? 100);
/** How many processes hold the clients (receiving spread over the cores, as over many machines). */
const CLIENT_PROCS = Number(process.env.BENCH_CLIENT_PROCS ?? 2);

type Result = { serverBusy: number; serverCpu: number; clientsCpu: number; mode: string; alerts: number; delivered: number; expected: number; seconds: number; perSecond: number; p50: number; p99: number; frames: number; timed: number };

const quantile = (sorted: Float64Array, q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);

const fork_ = (file: string, args: string[] = []): ChildProcess =>
  fork(new URL(file, import.meta.url).pathname, args, { execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
/** The child's next message that passes `test`; fails if the child dies first. */
const next = <T>(child: ChildProcess, test: (m: T) => boolean) => new Promise<T>((resolve, reject) => {
  const on = (m: unknown) => { if (test(m as T)) { child.off('message', on); child.off('exit', died); resolve(m as T); } };
  const died = (code: number | null) => reject(new Error(`a benchmark process stopped (exit code ${code})`));
  child.on('message', on);
  child.once('exit', died);
});

async function run(mode: string, flushMs: number, alerts: number, encoding: LiveEncoding = 'json'): Promise<Result> {
  const server = fork_('./fanout-node.ts', [String(flushMs)]);
  const ready = await next<ReadyMessage>(server, () => true);
  const url = `http://127.0.0.1:${ready.port}/live`;
  // The clients, spread over CLIENT_PROCS processes.
  const groups = Array.from({ length: CLIENT_PROCS }, (_, g) => {
    const from = Math.floor((g * CLIENTS) / CLIENT_PROCS), to = Math.floor(((g + 1) * CLIENTS) / CLIENT_PROCS);
    const child = fork_('./fanout-clients.ts');
    const state = { child, delivered: 0, frames: 0, lastAt: 0 };
    child.on('message', (m: GroupMessage) => { if (m.kind === 'progress') Object.assign(state, { delivered: m.delivered, frames: m.frames, lastAt: m.lastAt }); });
    child.send({ url, cookie: ready.cookie, encoding, clients: to - from, firstIndex: from, probeEvery: PROBE_EVERY, alerts } satisfies GroupStart);
    return state;
  });
  await Promise.all(groups.map((g) => next<GroupMessage>(g.child, (m) => m.kind === 'connected')));
  const delivered = () => groups.reduce((n, g) => n + g.delivered, 0);
  const expected = alerts * CLIENTS;
  const start = performance.timeOrigin + performance.now();
  const done = next<DoneMessage>(server, (m) => 'done' in m);
  done.catch(() => {}); // raced below against a timeout
  server.send({ rate: RATE, count: alerts } satisfies StartMessage);
  const deadline = Date.now() + alerts / RATE * 1000 + DRAIN_MS;
  while (delivered() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const { busy: serverBusy, cpuSeconds: serverCpu } = await Promise.race([done, new Promise<DoneMessage>((r) => setTimeout(() => r({ done: 0, busy: NaN, cpuSeconds: NaN }), 5000))]);
  const lists = await Promise.all(groups.map((g) => {
    const l = next<GroupMessage>(g.child, (m) => m.kind === 'latencies');
    g.child.send('finish');
    return l;
  }));
  const sorted = Float64Array.from(lists.flatMap((l) => (l.kind === 'latencies' ? l.latencies : []))).sort();
  const lastAt = Math.max(...groups.map((g) => g.lastAt));
  const seconds = ((lastAt || start) - start) / 1000;
  server.disconnect();
  if (!process.env.BENCH_PROF) server.kill();
  const total = delivered();
  const clientsCpu = lists.reduce((n, l) => n + (l.kind === 'latencies' ? l.cpuSeconds : 0), 0);
  return { serverBusy, serverCpu, clientsCpu, mode, alerts, delivered: total, expected, seconds, perSecond: total / CLIENTS / Math.max(seconds, 1e-9), p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), frames: groups.reduce((n, g) => n + g.frames, 0), timed: sorted.length };
}

console.log(`fan-out: ${CLIENTS} clients (every ${PROBE_EVERY}th a socket.io probe, the others counting WebSocket connections), alerts published at ${RATE}/s (server in its own process, clients in ${CLIENT_PROCS} others; load average ${loadavg()[0]!.toFixed(1)})`);
const MODES = (process.env.BENCH_MODES ?? 'packed,json,naive').split(',');
const results: Result[] = [];
if (MODES.includes('packed')) results.push(await run(`packed (${FLUSH_MS} ms, deflate-raw)`, FLUSH_MS, ALERTS, 'deflate-raw'));
if (MODES.includes('json')) results.push(await run(`batched (${FLUSH_MS} ms window, JSON)`, FLUSH_MS, ALERTS));
if (MODES.includes('naive')) results.push(await run('naive (one emit per alert)', 0, ALERTS));
for (const r of results) {
  console.log(`  ${r.mode.padEnd(34)} ${r.alerts} alerts: ${(r.delivered / r.expected * 100).toFixed(1)}% delivered, ` +
    `${Math.round(r.perSecond)} alerts/s per client (x${CLIENTS} clients), p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms ` +
    `(${r.timed} timed on probes), ${r.frames} frames, server event loop ${(r.serverBusy * 100).toFixed(0)}% busy while publishing, ` +
    `CPU ${r.serverCpu.toFixed(1)} s server + ${r.clientsCpu.toFixed(1)} s clients`);
}
const naive = results.find((r) => r.mode.startsWith('naive'));
for (const r of naive ? results.filter((x) => x !== naive) : []) {
  console.log(`  ${r.mode} vs naive: ${(r.perSecond / naive!.perSecond).toFixed(1)}x the alerts/s per client, p50 ${(r.p50 / naive!.p50).toPrecision(2)}x and p99 ${(r.p99 / naive!.p99).toPrecision(2)}x the naive latency, ` +
    `${(naive!.frames / naive!.delivered / (r.frames / r.delivered)).toFixed(0)}x fewer frames per alert`);
}
const met = (r: Result) => r.delivered === r.expected && r.perSecond >= 0.95 * RATE && r.p99 < 100 && CLIENTS >= 1000;
console.log(`  goal (1000 alerts/s to 1000 clients, p99 < 100 ms): ${results.filter((r) => r !== naive).map((r) => `${met(r) ? 'met' : 'not met'} ${r.mode.split(' ')[0]}`).join(', ')} on this machine`);
process.exit(0);
