import { describe, expect, it } from 'vitest';
import { compileRule, parseRule, type StoredEvent, type Zone } from '@vigie/rules';
import { runBacktest } from './run-backtest.ts';

const rule = (yaml: string, version = 1) => {
  const r = parseRule(yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return compileRule(r.rule, version);
};
const square = (id: string, lat: number, lon: number): Zone => ({
  id, name: id, kind: 'sector', tags: [],
  geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]] },
});
const ZONES = [square('A', 43.29, 5.36), square('B', 43.29, 5.37)];
const IN = { A: { lat: 43.295, lon: 5.365 }, B: { lat: 43.295, lon: 5.375 } };
const FROM = new Date('2026-11-20T00:00:00+01:00');
const TO = new Date('2026-11-23T00:00:00+01:00');

let n = 0;
const ev = (hoursFromStart: number, zone: 'A' | 'B', severity: number): StoredEvent => {
  const time = new Date(FROM.getTime() + hoursFromStart * 3_600_000).toISOString();
  return { id: `e${++n}`, source: 'csu', type: 'incident.assault', time, receivedAt: time, location: IN[zone], severity };
};
// Day 1: 2 events in A (sev 4, 2); day 2: 1 in B (sev 5); day 3: 1 in A (sev 2). The draft fires on 2 and 5.
const EVENTS = [ev(2, 'A', 4), ev(5, 'A', 2), ev(30, 'B', 5), ev(60, 'A', 2)];
async function* pagesOf(events: StoredEvent[], size: number) {
  for (let i = 0; i < events.length; i += size) yield events.slice(i, i + size);
}
const PUBLISHED = rule('id: r\ntitle: "Sev {event.severity}"\nseverity: high\nkind: match\nwhere: { type: incident.assault, severity: [4, 5] }\n', 3);
const DRAFT = rule('id: r\ntitle: "Any {event.severity}"\nseverity: high\nkind: match\nwhere: { type: incident.assault, severity: [2, 5] }\n', 4);

describe('backtest of a draft rule', () => {
  it('counts the alerts per day (city time, empty days included) and per zone, with points and a sample', async () => {
    const r = await runBacktest({ draft: DRAFT, zones: ZONES, timeZone: 'Europe/Paris', from: FROM, to: TO }, pagesOf(EVENTS, 2));
    expect(r).toMatchObject({ alerts: 3, eventsRead: 4, cancelled: false, comparison: null });
    expect(r.perDay).toEqual([{ day: '2026-11-20', count: 1 }, { day: '2026-11-21', count: 1 }, { day: '2026-11-22', count: 1 }]);
    expect(r.perZone).toEqual([{ zone: 'A', count: 2 }, { zone: 'B', count: 1 }]);
    expect(r.points).toHaveLength(3);
    expect(r.sample[0]).toMatchObject({ title: 'Any 2', zones: ['A'] });
    expect(r.sample[0]!.explanation.summary).toBeTruthy();
    expect(r.sample[0]!.evidence[0]!.id).toBe(EVENTS[1]!.id);
  });

  it('compares with the version in force over the same events: alerts added and removed', async () => {
    const r = await runBacktest({ draft: DRAFT, published: PUBLISHED, zones: ZONES, timeZone: 'Europe/Paris', from: FROM, to: TO }, pagesOf(EVENTS, 3));
    // published fires on sev 4 and 5 (events 1 and 3); the draft on 2 and 5 (events 2, 3, 4) and not on 4
    expect(r.comparison).toMatchObject({ publishedVersion: 3, publishedAlerts: 2, added: 2, removed: 1 });
    expect(r.comparison!.addedSample.map((a) => a.evidence[0]!.id)).toEqual([EVENTS[1]!.id, EVENTS[3]!.id]);
    expect(r.comparison!.removedSample.map((a) => a.evidence[0]!.id)).toEqual([EVENTS[0]!.id]);
  });

  it('reports progress after each page and stops when cancelled', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const r = await runBacktest({ draft: DRAFT, zones: ZONES, timeZone: 'Europe/Paris', from: FROM, to: TO }, pagesOf(EVENTS, 1), {
      signal: abort.signal,
      onProgress: (p) => { seen.push(p.eventsRead); if (p.eventsRead === 2) abort.abort(); },
    });
    expect(seen).toEqual([1, 2]);
    expect(r).toMatchObject({ cancelled: true, eventsRead: 2, alerts: 1 });
  });
});

describe('backtest of windowed rules', () => {
  const burst = (startHour: number, n: number) => Array.from({ length: n }, (_, i) => ev(startHour + i / 60, 'A', 3));
  const THRESHOLD = rule('id: t\ntitle: "Burst {count}"\nseverity: medium\nkind: threshold\nwhere: { type: incident.assault }\ngroupBy: zone\nwindow: 10m\ncount: { gte: 3 }\n');

  it('raises one alert per burst: between bursts the window empties as time passes, as it does live', async () => {
    const events = [...burst(1, 4), ...burst(20, 3), ...burst(50, 3)];
    const r = await runBacktest({ draft: THRESHOLD, zones: ZONES, timeZone: 'Europe/Paris', from: FROM, to: TO }, pagesOf(events, 100));
    expect(r.alerts).toBe(3);
    expect(r.perDay.map((d) => d.count)).toEqual([2, 0, 1]);
  });

  it('fires an absence rule when a source goes silent, at the time it would have live', async () => {
    const silent = rule('id: s\ntitle: "Silence {key}"\nseverity: low\nkind: absence\nwhere: { source: csu }\ngroupBy: source\nfor: 2h\n');
    const events = [ev(1, 'A', 1), ev(2, 'A', 1), ev(30, 'B', 1)];
    const r = await runBacktest({ draft: silent, zones: ZONES, timeZone: 'Europe/Paris', from: FROM, to: TO }, pagesOf(events, 100));
    // silent from 2h to 30h (fires once, at about 4h), then from 30h to the end (fires again, at about 32h)
    expect(r.alerts).toBe(2);
    expect(r.sample.map((a) => Math.round((Date.parse(a.at) - FROM.getTime()) / 3_600_000))).toEqual([4, 32]);
  });
});

describe('comparing a windowed draft with its published version', () => {
  it('counts as the same an alert on the same key fired within the window, and tells the others apart', async () => {
    const at = (h: number, n: number) => Array.from({ length: n }, (_, i) => ev(h + i / 60, 'A', 3));
    // bursts of 3, 4 and 5 events: gte 3 fires on all three, gte 4 on the last two (a minute later than gte 3 does)
    const events = [...at(1, 3), ...at(20, 4), ...at(50, 5)];
    const t = (gte: number, v: number) => rule(`id: b\ntitle: "B"\nseverity: low\nkind: threshold\nwhere: { type: incident.assault }\ngroupBy: zone\nwindow: 10m\ncount: { gte: ${gte} }\n`, v);
    const r = await runBacktest({ draft: t(4, 2), published: t(3, 1), zones: ZONES, timeZone: 'Europe/Paris', from: FROM, to: TO }, pagesOf(events, 100));
    expect(r.comparison).toMatchObject({ publishedAlerts: 3, added: 0, removed: 1 });
    expect(r.comparison!.removedSample.map((a) => a.evidence.length)).toEqual([3]);
  });
});

describe('backtest of an anomaly rule', () => {
  it('compares with the baseline learned before the period, and raises nothing without one', async () => {
    const anomaly = rule('id: a\ntitle: "Unusual {count}"\nseverity: medium\nkind: anomaly\nwhere: { type: incident.assault }\ngroupBy: zone\nwindow: 1h\npValue: 0.01\nminCount: 5\n');
    const quiet = Array.from({ length: 168 }, () => 0.1);
    const baseline = { weeks: 8, groups: { A: quiet, B: quiet }, city: quiet };
    const events = Array.from({ length: 8 }, (_, i) => ev(30 + i / 20, 'A', 2));
    const input = { draft: anomaly, zones: ZONES, timeZone: 'Europe/Paris', from: FROM, to: TO };
    expect((await runBacktest({ ...input, baselines: { draft: baseline } }, pagesOf(events, 100))).alerts).toBe(1);
    expect((await runBacktest(input, pagesOf(events, 100))).alerts).toBe(0);
  });
});
