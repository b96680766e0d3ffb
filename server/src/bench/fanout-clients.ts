// A group of benchmark clients (forked by fanout.bench.ts, several groups in their own
// processes so that receiving is spread over the cores as it would be over many machines).
// Every `probeEvery`-th client is a probe that decodes each message (inflating packed
// frames) and times it from the `sentAt` the server stamped; the others count messages
// without decoding them (lazy-parser.ts). Reports progress every 50 ms and its latencies
// when told to finish.
import { inflateRawSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { AlertBatchBody, AlertMessage, ClientToServer, LiveEncoding, PackedHeader, ServerToClient } from '@vigie/rules';
import { countMessages, lazyParser } from './lazy-parser.ts';

export type GroupStart = { url: string; cookie: string; encoding: LiveEncoding; clients: number; firstIndex: number; probeEvery: number; alerts: number };
export type GroupMessage =
  | { kind: 'connected' }
  | { kind: 'progress'; delivered: number; frames: number; lastAt: number }
  | { kind: 'latencies'; latencies: number[] };

const send = (m: GroupMessage) => process.send!(m);
const now = () => performance.timeOrigin + performance.now();

process.once('message', (g: GroupStart) => void clients(g).catch((e: unknown) => {
  console.error('fan-out clients: could not connect', e);
  process.exit(1);
}));

async function clients(g: GroupStart): Promise<void> {
  const sockets: Socket<ServerToClient, ClientToServer>[] = [];
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
  const onCount = (raw: unknown) => {
    frames++;
    delivered += countMessages(raw as string);
    lastAt = now();
  };
  const onPackedProbe = (_h: PackedHeader, body: string) => {
    const b = JSON.parse(inflateRawSync(Buffer.from(body, 'base64')).toString('utf8')) as AlertBatchBody;
    onProbe([...b.created, ...b.updated]);
  };
  const onPackedCount = (h: PackedHeader) => {
    frames++;
    delivered += h.created + h.updated;
    lastAt = now();
  };
  for (let i = 0; i < g.clients; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, g.clients - i) }, (_, k) => new Promise<void>((resolve, reject) => {
      const probe = (g.firstIndex + i + k) % g.probeEvery === 0;
      const s: Socket<ServerToClient, ClientToServer> = io(g.url, { transports: ['websocket'], extraHeaders: { cookie: g.cookie }, auth: { encoding: g.encoding }, reconnection: false, forceNew: true, ...(probe ? {} : { parser: lazyParser }) });
      s.on('alert:new', probe ? onProbe : (onCount as never));
      s.on('alert:packed', probe ? onPackedProbe : onPackedCount);
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
      sockets.push(s);
    })));
  }
  send({ kind: 'connected' });
  const progress = setInterval(() => send({ kind: 'progress', delivered, frames, lastAt }), 50);
  process.once('message', () => {
    clearInterval(progress);
    send({ kind: 'progress', delivered, frames, lastAt });
    send({ kind: 'latencies', latencies: Array.from(latencies.subarray(0, timed)) });
    for (const s of sockets) s.close();
    setTimeout(() => process.exit(0), 100);
  });
}
