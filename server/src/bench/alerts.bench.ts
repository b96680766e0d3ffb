// `npm run bench:alerts -w @vigie/server` (and `npm run bench`): how fast the engine's alert
// transitions of a flood are stored (each a new alert: a read of the key, an insert, the seq's
// turn), through `AlertService.applyTransitions` with 25 in one transaction (as on PostgreSQL),
// beside one transaction per transition (`applyTransition`; what PGlite keeps, see
// alert-service.ts) in the same run, on PGlite (in memory) and on PostgreSQL (its own schema).
// BENCH_ALERTS (2000) sets the flood's size.
import { performance } from 'node:perf_hooks';
import type { AlertTransition } from '@vigie/rules';
import { AlertService } from '../alerts/alert-service.ts';
import { NO_PUBLISHER } from '../live/publisher.ts';
import { applyTransition } from '../storage/alerts-repo.ts';
import { memoryDatabase, postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';

const N = Number(process.env.BENCH_ALERTS ?? 2000);
const NOW = new Date('2026-11-28T20:00:00Z');

const fired = (run: string, i: number): AlertTransition => ({
  kind: 'fired', ruleId: 'assault-injured', ruleVersion: 1, key: `${run}-${i}`, at: NOW.getTime(), severity: 'high',
  title: 'Agression avec blessé — Noailles', actions: ['Envoyer une patrouille'], location: { lat: 43.2965 + i / 1e5, lon: 5.3698 }, zones: ['noailles'], count: 1,
  explanation: { kind: 'match', summary: 'incident.assault with injured ≥ 1', conditions: ['type = incident.assault', 'attributes.injured ≥ 1'], numbers: { injured: 1 } },
  evidence: [{ source: 'csu', id: `${run}-e${i}`, type: 'incident.assault', time: NOW.toISOString(), location: { lat: 43.2965, lon: 5.3698 } }],
});

const ROUNDS = 4;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Both ways, in turn (which goes first alternates), after a warm-up of each; the median of ROUNDS rounds. */
async function measure(name: string, open: () => Promise<TestDatabase>): Promise<void> {
  const t = await open();
  try {
    const service = new AlertService(t.db, NO_PUBLISHER, () => NOW, undefined, { together: 25 });
    let run = 0;
    const together = async (n: number) => {
      const r = `t${run++}`, start = performance.now();
      const stored = await service.applyTransitions(Array.from({ length: n }, (_, i) => fired(r, i)));
      if (stored.length !== n) throw new Error(`${stored.length} alerts stored of ${n}`);
      return n / ((performance.now() - start) / 1000);
    };
    const oneEach = async (n: number) => {
      const r = `o${run++}`, start = performance.now();
      for (let i = 0; i < n; i++) await applyTransition(t.db, fired(r, i), NOW);
      return n / ((performance.now() - start) / 1000);
    };
    await together(200);
    await oneEach(200);
    const a: number[] = [], b: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) { a.push(await together(N)); b.push(await oneEach(N)); }
      else { b.push(await oneEach(N)); a.push(await together(N)); }
    }
    const fmt = (x: number) => Math.round(x).toLocaleString('en').padStart(7);
    console.log(`  ${name.padEnd(10)} 25 a transaction ${fmt(median(a))} alerts/s   one transaction each ${fmt(median(b))} alerts/s   ratio ${(median(a) / median(b)).toFixed(2)}× (medians of ${ROUNDS} rounds)`);
  } finally {
    await t.drop();
  }
}

console.log(`alert transitions of a flood stored (${N.toLocaleString('en')} new alerts, after a warm-up)`);
await measure('PGlite', memoryDatabase);
if (await postgresAvailable()) await measure('PostgreSQL', postgresDatabase);
else console.log('  PostgreSQL: not reachable at VIGIE_TEST_DATABASE_URL, skipped');
