// A group of benchmark clients (forked by fanout.bench.ts, several groups in their own
// processes so that receiving is spread over the cores as it would be over many machines).
// Every `probeEvery`-th client is a probe: a socket.io client that decodes each message
// (inflating packed frames) and times it from the `sentAt` the server stamped. The others
// are load clients that count messages without decoding them (counting-client.ts). Reports
// progress every 50 ms and its latencies when told to finish.
import { inflateRawSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { AlertBatchBody, AlertMessage, ClientToServer, LiveEncoding, PackedHeader, ServerToClient } from '@vigie/rules';
import { countingClient } from './counting-client.ts';

export type GroupStart = { url: string; cookie: string; encoding: LiveEncoding; clients: number; firstIndex: number; probeEvery: number; alerts: number };
export type GroupMessage =
  | { kind: 'connected' }
  | { kind: 'progress'; delivered: number; frames: number; lastAt: number }
  | { kind: 'latencies'; latencies: number[]; cpuSeconds: number };

const send = (m: GroupMessage) => process.send!(m);
const now = () => performance.timeOrigin + performance.now();

process.once('message', (g: GroupStart) => void clients(g).catch((e: unknown) => {
  console.error('fan-out clients: could not connect', e);
  process.exit(1);
}));

async function clients(g: GroupStart): Promise<void> {
  const sockets: { close(): void }[] = [];
  const probes = Math.ceil(g.clients / g.probeEvery) + 1;
  const latencies = new Float64Array(g.alerts * probes);
  let timed = 0, delivered = 0, frames = 0, lastAt = 0;
  const onProbe = (ms: AlertMessage[]) => {
    const at = now();
    frames++;
    delivered += ms.length;
    for (const m of ms) latencies[timed++] = at - Number(m.alert.explanation.numbers.sentAt);
    lastAt = at;
  };
  const onCount = (n: number) => {
    frames++;
    delivered += n;
    lastAt = now();
  };
  const onPackedProbe = (_h: PackedHeader, body: string) => {
    const b = JSON.parse(inflateRawSync(Buffer.from(body, 'base64')).toString('utf8')) as AlertBatchBody;
    onProbe([...b.created, ...b.updated]);
  };
  for (let i = 0; i < g.clients; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, g.clients - i) }, async (_, k) => {
      if ((g.firstIndex + i + k) % g.probeEvery) return void sockets.push(await countingClient(g.url, g.cookie, g.encoding, onCount));
      await new Promise<void>((resolve, reject) => {
        const s: Socket<ServerToClient, ClientToServer> = io(g.url, { transports: ['websocket'], extraHeaders: { cookie: g.cookie }, auth: { encoding: g.encoding }, reconnection: false, forceNew: true });
        s.on('alert:new', onProbe);
        s.on('alert:packed', onPackedProbe);
        s.once('connect', () => resolve());
        s.once('connect_error', reject);
        sockets.push(s);
      });
    }));
  }
  send({ kind: 'connected' });
  const cpu = process.cpuUsage();
  const progress = setInterval(() => send({ kind: 'progress', delivered, frames, lastAt }), 50);
  process.once('message', () => {
    clearInterval(progress);
    send({ kind: 'progress', delivered, frames, lastAt });
    const used = process.cpuUsage(cpu);
    send({ kind: 'latencies', latencies: Array.from(latencies.subarray(0, timed)), cpuSeconds: (used.user + used.system) / 1e6 });
    for (const s of sockets) s.close();
    setTimeout(() => process.exit(0), 100);
  });
}
