import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabase, type TestDatabase } from '../testing/databases.ts';
import { assault, eventually, postEvents } from '../testing/harness.ts';
import { spawnNode, type NodeProcess } from '../testing/process.ts';
import { postgresAvailable } from '../testing/services.ts';

const ready = await postgresAvailable();
if (!ready) console.warn('database-cut.int.test: skipped, PostgreSQL is not reachable on 127.0.0.1:5432');

describe.skipIf(!ready)('a node whose database connections are all cut at once (a database restart, a network cut)', () => {
  let pgdb: TestDatabase;
  let node: NodeProcess;
  let nodeId: string;
  beforeAll(async () => {
    pgdb = await postgresDatabase();
    const url = new URL(pgdb.url!);
    url.searchParams.set('options', `-c search_path=${pgdb.schema}`);
    nodeId = `cut-${pgdb.schema}`;
    node = await spawnNode({ VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', DATABASE_URL: url.toString(), VIGIE_TILE_URL: '', VIGIE_NODE_ID: nodeId, VIGIE_ALLOWED_LATENESS_MS: '0' });
  }, 60_000);
  afterAll(async () => {
    await node?.stop();
    await pgdb?.drop();
  });

  it('goes on: each event a feed sends (again, until accepted) is stored once and counted once in its alert', { timeout: 90_000 }, async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `cut-${i}`);
    let cut = 0;
    for (const [i, id] of ids.entries()) {
      // Every connection of the node at once, as a database restart would (its pool's, its listener's, its
      // engine lock's), while it stores a batch of events and the alerts they raise.
      if (i % 10 === 5) {
        const busy = postEvents(node.url, Array.from({ length: 50 }, (_, k) => assault(`${id}-busy-${k}`)));
        await new Promise((r) => setTimeout(r, 5 + i));
        const [r] = await pgdb.db.query<{ n: number }>(
          'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1', [`vigie ${nodeId}`]);
        cut += r!.n;
        await busy;
      }
      // A feed sends again what was not taken (a 5xx while the node reconnects).
      await eventually(async () => ((await postEvents(node.url, assault(id))).status === 202 ? true : undefined), 20_000);
    }
    expect(cut).toBeGreaterThan(2);
    expect(node.child.exitCode).toBeNull();
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    // Each event the node took (a 202) stored once; of a batch cut short, all or none.
    const stored = (await pgdb.db.query<{ id: string }>("SELECT id FROM events WHERE id LIKE 'cut-%'")).map((r) => r.id);
    expect(stored.filter((id) => !id.includes('-busy-')).sort()).toEqual([...ids].sort());
    const busy = stored.filter((id) => id.includes('-busy-'));
    expect(busy.length % 50).toBe(0);
    // Each event once in the alerts of the assault rule (one alert an event): none lost, none counted twice.
    const alerts = await eventually(async () => {
      const rows = await pgdb.db.query<{ count: number; evidence: { id: string }[] }>("SELECT count::int AS count, evidence FROM alerts WHERE rule_id = 'assault-injured'");
      return rows.reduce((n, a) => n + a.count, 0) >= stored.length ? rows : undefined;
    }, 20_000);
    expect(alerts.reduce((n, a) => n + a.count, 0)).toBe(stored.length);
    expect(alerts.flatMap((a) => a.evidence.map((e) => e.id)).sort()).toEqual([...stored].sort());
  });
});
