// `npm run bench:wall -w @vigie/web`: the wall page under a long stream of events. A Vigie node
// (PGlite, simulator off) gets EVENTS_PER_S events a second (incidents that fire and update
// alerts all over the city, transport, lighting, crowd) while Chromium shows /wall with views
// cycling every 5 s. The page's JS heap is measured (after forced GCs, over CDP) at the end
// of the warm-up and at the end of the run; the growth is the figure (goal: < 20 MB), printed
// also as a ratio of the warm-up heap, the baseline of the same run.
//   WALL_SOAK_MINUTES (default 5) · WALL_WARMUP_S (default 60) · EVENTS_PER_S (default 50)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { spawnNode } from '../../../server/src/testing/process.ts';
import { launchChromium } from '../e2e/browser.ts';

const MINUTES = Number(process.env.WALL_SOAK_MINUTES ?? 5);
const WARMUP_S = Number(process.env.WALL_WARMUP_S ?? 60);
const RATE = Number(process.env.EVENTS_PER_S ?? 50);
const FEED = { authorization: 'Bearer demo-feed-token', 'content-type': 'application/json' };
const TYPES = [
  { type: 'incident.assault', source: 'csu', attributes: { injured: 1 } },
  { type: 'incident.theft', source: 'csu', attributes: {} },
  { type: 'incident.fight', source: 'csu', attributes: {} },
  { type: 'accident.traffic', source: 'csu', attributes: { injured: 1, victims: 3 } },
  { type: 'transport.incident', source: 'rtm', attributes: { line: 'M1' } },
  { type: 'lighting.fault', source: 'eclairage', attributes: { lampId: 'LUM-1' } },
  { type: 'crowd.density', source: 'capteurs', attributes: {} },
  { type: 'citizen.report', source: 'citoyens', attributes: {} },
];

let seed = 7;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
let n = 0;
function batch(size: number) {
  const now = new Date().toISOString();
  return Array.from({ length: size }, () => {
    const t = TYPES[Math.floor(rnd() * TYPES.length)]!;
    return {
      id: `soak-${n++}`, source: t.source, type: t.type, time: now, severity: 1 + Math.floor(rnd() * 5),
      location: { lat: 43.24 + rnd() * 0.12, lon: 5.34 + rnd() * 0.13 }, attributes: t.attributes,
      text: 'Texte libre de la main courante, pseudonymisé',
    };
  });
}

async function heapMB(cdp: CDPSession): Promise<{ heap: number; nodes: number; listeners: number }> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
  return { heap: m('JSHeapUsedSize') / 2 ** 20, nodes: m('Nodes'), listeners: m('JSEventListeners') };
}

const dataDir = mkdtempSync(join(tmpdir(), 'vigie-wall-soak-'));
const node = await spawnNode({ VIGIE_DEMO: '1', VIGIE_SIMULATOR: '0', VIGIE_DATA_DIR: dataDir, VIGIE_TILE_URL: '', VIGIE_LOG: 'error' }, 120_000);
const browser = await launchChromium();
try {
  // Views cycle fast so that switching is part of the soak.
  const login = await fetch(`${node.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: 'supervisor' }) });
  const sup = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken, 'content-type': 'application/json' };
  await fetch(`${node.url}/api/v1/wall/screens/demo%20wall`, { method: 'PUT', headers: sup, body: JSON.stringify({ views: [{ kind: 'city' }, { kind: 'transport' }, { kind: 'event' }], dwellSeconds: 5 }) });
  const start = Date.now();
  await fetch(`${node.url}/api/v1/calendar`, { method: 'POST', headers: sup, body: JSON.stringify({
    title: 'Soak match', kind: 'match', venue: 'Stade Vélodrome', location: { lat: 43.2699, lon: 5.3959 },
    perimeter: { type: 'Polygon', coordinates: [[[5.389, 43.266], [5.403, 43.266], [5.403, 43.274], [5.389, 43.274], [5.389, 43.266]]] },
    startsAt: new Date(start - 3_600_000).toISOString(), endsAt: new Date(start + 4 * 3_600_000).toISOString(), expectedAttendance: 60000,
  }) });

  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(`${node.url}/wall?token=demo-wall`);
  await page.waitForSelector('[data-testid="wall-link"][data-state="connected"]', { timeout: 30_000 });

  // The stream keeps its average rate: each second it sends what is due since the start
  // (a slow answer is caught up on the next tick, in batches of at most 1000).
  let sent = 0, failed = 0;
  const streamStart = Date.now();
  const send = async () => {
    const due = Math.min(1000, Math.floor(((Date.now() - streamStart) / 1000) * RATE) - sent - failed);
    if (due <= 0) return;
    const res = await fetch(`${node.url}/api/v1/events`, { method: 'POST', headers: FEED, body: JSON.stringify(batch(due)) }).catch(() => null);
    if (res?.status === 202) sent += due; else failed += due;
  };
  const runFor = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const tick = Date.now();
      await send();
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - tick))));
    }
  };

  await runFor(WARMUP_S * 1000);
  const base = await heapMB(cdp);
  const t0 = Date.now();
  console.log(`warm-up done (${WARMUP_S} s, ${sent} events): heap ${base.heap.toFixed(1)} MB, ${base.nodes} DOM nodes, ${base.listeners} listeners`);
  let minute = 0;
  while (minute < MINUTES) {
    await runFor(60_000);
    minute++;
    const m = await heapMB(cdp);
    console.log(`  +${minute} min: heap ${m.heap.toFixed(1)} MB, ${m.nodes} DOM nodes, markers ${await page.getByTestId('wall-map').getAttribute('data-alert-markers')}`);
  }
  const end = await heapMB(cdp);
  const seconds = (Date.now() - t0) / 1000;
  const growth = end.heap - base.heap;
  console.log(`\nwall soak: ${MINUTES} min at ${(sent / ((Date.now() - streamStart) / 1000)).toFixed(1)} events/s accepted (goal ${RATE}; ${sent} events, ${failed} refused or lost), ${seconds.toFixed(0)} s measured after warm-up`);
  console.log(`heap after warm-up ${base.heap.toFixed(1)} MB → end ${end.heap.toFixed(1)} MB: growth ${growth.toFixed(2)} MB = ×${(end.heap / base.heap).toFixed(3)} of the warm-up heap (goal < 20 MB) ${growth < 20 ? 'OK' : 'OVER'}`);
  console.log(`DOM nodes ${base.nodes} → ${end.nodes}, listeners ${base.listeners} → ${end.listeners}; link ${await page.getByTestId('wall-link').getAttribute('data-state')}`);
  if (growth >= 20) process.exitCode = 1;
} finally {
  await browser.close();
  await node.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
