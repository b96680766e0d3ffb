// `npm run bench:alerts -w @vigie/server` (and `npm run bench`): how fast the engine's alert
// transitions of a flood are stored (each a new alert: a read of the key, an insert, the seq's
// turn), through `AlertService.applyTransitions` (up to 100 in one transaction), beside one
// transaction per transition (`applyTransition`, what it did before) in the same run, on PGlite
// (in memory) and on PostgreSQL (its own schema). BENCH_ALERTS (2000) sets the flood's size.
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

async function measure(name: string, open: () => Promise<TestDatabase>): Promise<void> {
  const t = await open();
  try {
    const service = new AlertService(t.db, NO_PUBLISHER, () => NOW);
    await service.applyTransitions(Array.from({ length: 200 }, (_, i) => fired('warm', i))); // warm-up
    let start = performance.now();
    for (let i = 0; i < N; i++) await applyTransition(t.db, fired('one', i), NOW);
    const one = (performance.now() - start) / 1000;
    start = performance.now();
    const stored = await service.applyTransitions(Array.from({ length: N }, (_, i) => fired('flood', i)));
    const together = (performance.now() - start) / 1000;
    if (stored.length !== N) throw new Error(`${stored.length} alerts stored of ${N}`);
    console.log(`  ${name.padEnd(10)} applyTransitions ${Math.round(N / together).toLocaleString('en').padStart(7)} alerts/s   one transaction each ${Math.round(N / one).toLocaleString('en').padStart(7)} alerts/s   ratio ${(one / together).toFixed(2)}×`);
  } finally {
    await t.drop();
  }
}

console.log(`alert transitions of a flood stored (${N.toLocaleString('en')} new alerts, after a warm-up)`);
await measure('PGlite', memoryDatabase);
if (await postgresAvailable()) await measure('PostgreSQL', postgresDatabase);
else console.log('  PostgreSQL: not reachable at VIGIE_TEST_DATABASE_URL, skipped');
