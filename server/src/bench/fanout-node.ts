// The server side of the fan-out benchmark (forked by fanout.bench.ts): a real LiveServer
// on a free port over an in-memory database, which publishes synthetic alerts on demand.
// argv[2]: the flush window in ms (0: one emit per alert, the naive way).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Alert } from '@vigie/rules';
import { Sessions, SESSION_COOKIE } from '../auth/sessions.ts';
import { seedDemo } from '../demo/seed.ts';
import { LiveServer } from '../live/live-server.ts';
import { createLogger } from '../logger.ts';
import { memoryDatabase } from '../testing/databases.ts';

export type StartMessage = { rate: number; count: number };
export type ReadyMessage = { port: number; cookie: string };

const flushMs = Number(process.argv[2] ?? 30);
const { db } = await memoryDatabase();
await seedDemo(db);
const sessions = new Sessions(db, 3_600_000, () => new Date());
const session = (await sessions.login('operator', 'operator'))!;
const live = new LiveServer(db, sessions, createLogger('error'), undefined, flushMs);
const http = createServer();
await live.attach(http);
await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));

/** A realistic alert (about 1 KB of JSON) stamped with the time it is published. */
function alert(i: number, sentAt: number): Alert {
  const at = new Date().toISOString();
  return {
    id: `bench-${i}`, ruleId: 'incident-cluster', key: `sector-87396815${i % 100}ffffff`, status: 'open', severity: 'high',
    title: `4 signalements en 10m — Secteur ${i % 100}`, actions: ['Orienter les caméras sur le secteur', 'Envoyer une patrouille'],
    location: { lat: 43.29 + (i % 50) / 1000, lon: 5.37 + (i % 30) / 1000 }, zones: [`sector-87396815${i % 100}ffffff`], count: 4,
    firstAt: at, lastAt: at, createdAt: at, updatedAt: at, conditionActive: true, assignee: null,
    explanation: { kind: 'threshold', summary: '4 events in 10m in sector (threshold 4)', conditions: ['type in incident.*, accident.*, citizen.*', 'at least 4 within 10m per zone:sector'], numbers: { count: 4, threshold: 4, window: '10m', sentAt } },
    evidence: [0, 1, 2, 3].map((k) => ({ source: 'csu', id: `csu-${i}-${k}`, type: 'incident.theft', time: at, location: { lat: 43.29, lon: 5.37 } })),
    history: [{ at, by: 'engine', action: 'fired' }], version: 1, seq: i + 1, silencedBy: null, escalations: 0, ackDueAt: null,
  };
}

process.on('message', (m: StartMessage) => {
  const start = performance.now();
  let sent = 0;
  // Every 5 ms, publish what the rate says is due by now (timers run late on a busy machine).
  const timer = setInterval(() => {
    const due = Math.min(m.count, Math.floor(((performance.now() - start) * m.rate) / 1000));
    for (; sent < due; sent++) live.publish(alert(sent, performance.timeOrigin + performance.now()), true);
    if (sent >= m.count) {
      clearInterval(timer);
      process.send!({ done: sent });
    }
  }, 5);
});
process.on('disconnect', () => process.exit(0));
process.send!({ port: (http.address() as AddressInfo).port, cookie: `${SESSION_COOKIE}=${session.sid}` } satisfies ReadyMessage);
