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
/** Sent once everything is published: how busy this process's event loop was meanwhile (0–1). */
export type DoneMessage = { done: number; busy: number; cpuSeconds: number };

const flushMs = Number(process.argv[2] ?? 30);
const { db } = await memoryDatabase();
await seedDemo(db);
const sessions = new Sessions(db, 3_600_000, () => new Date());
const session = (await sessions.login('operator', 'operator'))!;
const live = new LiveServer(db, sessions, createLogger('error'), undefined, flushMs);
const http = createServer();
await live.attach(http);
await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));

let seed = 7;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const RULES = ['incident-cluster', 'crowd-surge', 'assault-injured', 'near-repeat-burglary', 'transport-crowd-station', 'lighting-accident'];
const TYPES = ['incident.theft', 'incident.assault', 'crowd.report', 'transport.delay', 'citizen.report', 'accident.road'];
const SOURCES = ['csu', 'rtm', 'citoyens', 'ap-hm', 'eclairage'];
const id = () => Math.floor(rnd() * 2 ** 48).toString(36).toUpperCase().padStart(10, '0');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A realistic alert (about 1.5 KB of JSON: its own ids, rule, place, times and four pieces of
 * evidence, so that batches compress as real ones do) stamped with the time it is published.
 */
function alert(i: number, sentAt: number): Alert {
  const now = Date.now();
  const at = iso(now);
  const sector = `sector-8739681${Math.floor(rnd() * 0xfffff).toString(16).padStart(5, '0')}fffff`;
  const lat = 43.2 + rnd() * 0.15;
  const lon = 5.3 + rnd() * 0.15;
  const count = 3 + Math.floor(rnd() * 8);
  return {
    id: `01J${id()}${id()}`, ruleId: RULES[i % RULES.length]!, key: sector, status: 'open', severity: (['low', 'medium', 'high', 'critical'] as const)[Math.floor(rnd() * 4)]!,
    title: `${count} signalements en 10m — Secteur ${Math.floor(rnd() * 400)}`, actions: ['Orienter les caméras sur le secteur', 'Envoyer une patrouille'],
    location: { lat, lon }, zones: [sector, `quartier-${Math.floor(rnd() * 111)}`], count,
    firstAt: iso(now - Math.floor(rnd() * 600_000)), lastAt: at, createdAt: at, updatedAt: at, conditionActive: true, assignee: null,
    explanation: { kind: 'threshold', summary: `${count} events in 10m in sector (threshold 3)`, conditions: ['type in incident.*, accident.*, citizen.*', 'at least 3 within 10m per zone:sector'], numbers: { count, threshold: 3, window: '10m', sentAt } },
    evidence: [0, 1, 2, 3].map(() => ({ source: SOURCES[Math.floor(rnd() * SOURCES.length)]!, id: `ev-${id()}`, type: TYPES[Math.floor(rnd() * TYPES.length)]!, time: iso(now - Math.floor(rnd() * 600_000)), location: { lat: lat + (rnd() - 0.5) / 500, lon: lon + (rnd() - 0.5) / 500 } })),
    history: [{ at, by: 'engine', action: 'fired' }], version: 1, seq: i + 1, silencedBy: null, escalations: 0, ackDueAt: iso(now + 120_000),
  };
}

process.on('message', (m: StartMessage) => {
  const start = performance.now();
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  let sent = 0;
  // Every 5 ms, publish what the rate says is due by now (timers run late on a busy machine).
  const timer = setInterval(() => {
    const due = Math.min(m.count, Math.floor(((performance.now() - start) * m.rate) / 1000));
    for (; sent < due; sent++) live.publish(alert(sent, performance.timeOrigin + performance.now()), true);
    if (sent >= m.count) {
      clearInterval(timer);
      // after the last window's flush
      setTimeout(() => {
        const used = process.cpuUsage(cpu);
        process.send!({ done: sent, busy: performance.eventLoopUtilization(elu).utilization, cpuSeconds: (used.user + used.system) / 1e6 } satisfies DoneMessage);
      }, 100);
    }
  }, 5);
});
process.on('disconnect', () => process.exit(0));
process.send!({ port: (http.address() as AddressInfo).port, cookie: `${SESSION_COOKIE}=${session.sid}` } satisfies ReadyMessage);
