// `npm run bench:console -w @vigie/web`: in Debian's Chromium, (1) the console's frame rate
// with 10 000 live vehicle markers moving at 1000 position updates per second, against the
// same page idle; (2) the time from navigation to the first map paint holding the last 500
// alerts, against the same with no alert; (3) moving through the queue with ↓ and ↑ (each move
// opens the alert and frames it on the map): the time from the key to the next frame painted
// (the browser's Event Timing, as Interaction to Next Paint counts it), with 500 alerts against
// the same with 25. The console is the built one (web/build, or VIGIE_WEB_DIR), served by a real
// server process.
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.ts';
import { assault, postEvents, signedIn, startConsoleNode } from '../e2e/operator.ts';

const MARKERS = Number(process.env.BENCH_MARKERS ?? 10_000);
const UPDATES_PER_S = Number(process.env.BENCH_UPDATES ?? 1000);
const ALERTS = Number(process.env.BENCH_ALERTS ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

type Fps = { fps: number; worstFrameMs: number };

/**
 * In the page (as source text: tsx would decorate a function with helpers the page lacks):
 * `markers` vehicles on the map, `updatesPerS` of them moved per second in ticks of 100 ms,
 * each tick handing the whole set to the map as a live sample does; frames counted over
 * `seconds`.
 */
const DRIVE = `async ({ seconds, markers, updatesPerS }) => {
  const map = document.querySelector('[data-testid="map"]').consoleMap;
  const vehicles = new Map();
  let seed = 7;
  const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < markers; i++) vehicles.set('v' + i, { id: 'v' + i, lat: 43.22 + rnd() * 0.17, lon: 5.28 + rnd() * 0.22, time: new Date().toISOString(), seenAt: Date.now() });
  map.setVehicles(vehicles);
  const tickMs = 100;
  const perTick = Math.round((updatesPerS * tickMs) / 1000);
  let next = 0;
  const timer = updatesPerS > 0 ? setInterval(() => {
    for (let k = 0; k < perTick; k++, next = (next + 1) % markers) {
      const v = vehicles.get('v' + next);
      vehicles.set(v.id, { ...v, lat: v.lat + (rnd() - 0.5) * 0.001, lon: v.lon + (rnd() - 0.5) * 0.001, seenAt: Date.now() });
    }
    map.setVehicles(new Map(vehicles));
  }, tickMs) : undefined;
  await new Promise((r) => setTimeout(r, 500));
  let frames = 0;
  let worst = 0;
  let last = performance.now();
  const end = last + seconds * 1000;
  await new Promise((resolve) => {
    const tick = (t) => {
      frames++;
      worst = Math.max(worst, t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick);
      else resolve();
    };
    requestAnimationFrame(tick);
  });
  clearInterval(timer);
  return { fps: frames / seconds, worstFrameMs: worst };
}`;

async function frameRate(page: Page, seconds: number, updatesPerS: number): Promise<Fps> {
  return page.evaluate(`(${DRIVE})(${JSON.stringify({ seconds, markers: MARKERS, updatesPerS })})`) as Promise<Fps>;
}

/** Milliseconds from navigation start to the first frame painted with `alerts` alert markers on the map. */
async function firstMapPaint(page: Page, base: string, alerts: number): Promise<number> {
  await page.goto('about:blank');
  await page.goto(base, { waitUntil: 'commit' });
  await page.waitForFunction((n) => {
    const map = document.querySelector('[data-testid="map"]');
    return map !== null && Number(map.getAttribute('data-alert-markers')) >= n && map.querySelector('canvas.vigie-alerts') !== null;
  }, alerts, { timeout: 30_000, polling: 'raf' });
  return page.evaluate('new Promise((r) => requestAnimationFrame(() => r(performance.now())))') as Promise<number>;
}

const FEW = 25;
const STEPS = 20;

/**
 * ↓ then ↑ (`steps` moves in all, never past the ends), each after the last one's frame: per
 * move, the milliseconds from the key to the next paint (Event Timing reports 16 ms and over, in
 * steps of 8: a quicker move counts as 16). Median and worst.
 */
async function queueMoves(page: Page, rows: number, steps: number): Promise<{ median: number; worst: number }> {
  await page.waitForSelector('[data-testid="connection-status"][data-state="connected"]', { timeout: 20_000 });
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="alert-row"]').length >= n, rows, { timeout: 60_000 });
  await page.evaluate(`(() => {
    window.__moves = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.name === 'keydown') window.__moves.push(e.duration); })
      .observe({ type: 'event', durationThreshold: 16 });
  })()`);
  await page.getByTestId('alert-row').first().focus();
  for (let k = 0; k < steps; k++) {
    await page.keyboard.press(k < steps / 2 ? 'ArrowDown' : 'ArrowUp');
    await page.waitForTimeout(300); // the map's pan ends: one move at a time
  }
  const measured = (await page.evaluate('window.__moves')) as number[];
  const all = [...measured, ...new Array<number>(Math.max(0, steps - measured.length)).fill(16)].sort((a, b) => a - b);
  return { median: all[Math.floor(all.length / 2)]!, worst: all[all.length - 1]! };
}

const t0 = performance.now();
const started = await startConsoleNode();
const browser = await launchChromium();
try {
  const base = started.node.url;
  const page = await signedIn(browser, base, 'operator');
  const emptyPaint = await firstMapPaint(page, base, 0);
  const events = Array.from({ length: ALERTS }, (_, i) => assault(43.23 + (i % 25) * 0.006, 5.3 + Math.floor(i / 25) * 0.009));
  await postEvents(base, events.slice(0, FEW));
  const fewMoves = await queueMoves(page, FEW, STEPS);
  for (let i = FEW; i < events.length; i += 250) await postEvents(base, events.slice(i, i + 250));
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="map"]')?.getAttribute('data-alert-markers')) >= n, ALERTS, { timeout: 60_000 });
  const fullPaint = await firstMapPaint(page, base, ALERTS);
  const manyMoves = await queueMoves(page, ALERTS, STEPS);
  const idle = await frameRate(page, SECONDS, 0);
  const busy = await frameRate(page, SECONDS, UPDATES_PER_S);
  console.log(`console in Chromium (${MARKERS} vehicle markers, ${ALERTS} alerts, load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
  console.log(`  frame rate, ${UPDATES_PER_S} position updates/s: ${busy.fps.toFixed(1)} fps (worst frame ${busy.worstFrameMs.toFixed(0)} ms); idle: ${idle.fps.toFixed(1)} fps; ratio ${(busy.fps / idle.fps).toFixed(2)} (goal ≥ 30 fps: ${busy.fps >= 30 ? 'met' : 'not met'})`);
  console.log(`  first map paint with ${ALERTS} alerts: ${fullPaint.toFixed(0)} ms; with none: ${emptyPaint.toFixed(0)} ms; ratio ${(fullPaint / emptyPaint).toFixed(2)} (goal < 800 ms: ${fullPaint < 800 ? 'met' : 'not met'})`);
  console.log(`  moving through the queue (${STEPS} moves), key to next paint: ${manyMoves.median.toFixed(0)} ms median, ${manyMoves.worst.toFixed(0)} ms worst with ${ALERTS} alerts; ${fewMoves.median.toFixed(0)} ms median, ${fewMoves.worst.toFixed(0)} ms worst with ${FEW}; ratio of medians ${(manyMoves.median / fewMoves.median).toFixed(2)} (goal < 100 ms, "good" responsiveness: ${manyMoves.worst < 100 ? 'met' : 'not met'})`);
  console.log(`  (run took ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
} finally {
  await browser.close();
  await started.node.stop();
  await started.cleanup();
}
