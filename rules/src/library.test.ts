import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AlertTransition } from './domain/alert.ts';
import type { Event } from './domain/event.ts';
import { HOURS_PER_WEEK } from './baseline/baseline.ts';
import { Engine } from './engine/engine.ts';
import { ZoneIndex } from './geo/zone-index.ts';
import { loadRuleFiles } from './library.ts';
import { ev, IN_A, IN_B, squareZone, ZONE_A, ZONE_B } from './testing/fixtures.ts';

const dir = new URL('../library/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));
const library = loadRuleFiles(files);

const SCHOOL = squareZone('S', 43.29, 5.36, 0.01, 'school-perimeter', ['school']);
const MIN = 60_000;
// Tuesday 2026-12-01, 08:30 in Paris (UTC+1): school entry time
const TUE_0830 = Date.parse('2026-12-01T07:30:00Z');
// Saturday 2026-11-28, 23:00 in Paris
const SAT_NIGHT = Date.parse('2026-11-28T22:00:00Z');
const T = Date.parse('2026-11-28T15:00:00Z');
const north = (m: number) => ({ lat: IN_A.lat + m / 111_320, lon: IN_A.lon });
const from = (source: string, e: Event): Event => ({ ...e, source });

type Scenario = { setup?: (e: Engine) => void; events: Event[]; tickTo?: number };
const flat = (r: number) => new Array(HOURS_PER_WEEK).fill(r);

/** Per stock rule: a scenario where it must fire, and one where it must not. */
const SCENARIOS: Record<string, { fires: Scenario; quiet: Scenario }> = {
  'assault-injured': {
    fires: { events: [ev('incident.assault', T, { location: IN_A, attributes: { injured: 1 } })] },
    quiet: { events: [ev('incident.assault', T, { location: IN_A, attributes: { injured: 0 } }), ev('incident.theft', T, { attributes: { injured: 2 } })] },
  },
  'serious-accident': {
    fires: { events: [ev('accident.bike', T, { severity: 5 })] },
    quiet: { events: [ev('accident.bike', T, { severity: 3 }), ev('incident.fight', T, { severity: 5 })] },
  },
  'incident-cluster': {
    fires: { events: [0, 2, 4, 6].map((m) => ev('incident.fight', T + m * MIN, { location: IN_A })) },
    quiet: { events: [0, 4, 8, 12].map((m) => ev('incident.fight', T + m * MIN, { location: IN_A })) },
  },
  'citizen-reports-burst': {
    fires: { events: [0, 10, 20].map((m) => ev('citizen.report', T + m * MIN, { location: IN_A })) },
    quiet: { events: [0, 10].map((m) => ev('citizen.report', T + m * MIN, { location: IN_A })).concat(ev('citizen.report', T + 20 * MIN, { location: IN_B })) },
  },
  'transport-major-incident': {
    fires: { events: [ev('transport.incident', T, { severity: 4, attributes: { line: 'M1' } })] },
    quiet: { events: [ev('transport.incident', T, { severity: 3, attributes: { line: 'M1' } })] },
  },
  'night-assault-admissions': {
    fires: { events: [0, 30, 60].map((m) => ev('health.admission', SAT_NIGHT + m * MIN, { location: IN_A, attributes: { cause: 'assault' } })) },
    quiet: { events: [0, 30, 60].map((m) => ev('health.admission', T + m * MIN, { location: IN_A, attributes: { cause: 'assault' } })) },
  },
  'lighting-fault-cluster': {
    fires: { events: [0, 60, 120].map((m) => ev('lighting.fault', T + m * MIN, { location: IN_A, attributes: { lampId: `L${m}` } })) },
    quiet: { events: [0, 200, 400].map((m) => ev('lighting.fault', T + m * MIN, { location: IN_A, attributes: { lampId: `L${m}` } })) },
  },
  'dark-junction': {
    fires: { events: [ev('lighting.fault', T, { location: IN_A, attributes: { lampId: 'L1' } }), ev('accident.bike', T + 300 * MIN, { location: north(20) })] },
    quiet: { events: [ev('lighting.fault', T, { location: IN_A, attributes: { lampId: 'L1' } }), ev('lighting.repaired', T + 60 * MIN, { location: IN_A, attributes: { lampId: 'L1' } }), ev('accident.bike', T + 300 * MIN, { location: north(20) })] },
  },
  'three-sources': {
    fires: { events: [from('csu', ev('incident.fight', T, { location: IN_A })), from('citoyens', ev('citizen.report', T + 3 * MIN, { location: north(150) })), from('ap-hm', ev('health.admission', T + 6 * MIN, { location: north(250) }))] },
    quiet: { events: [from('csu', ev('incident.fight', T, { location: IN_A })), from('citoyens', ev('citizen.report', T + 3 * MIN, { location: north(150) })), from('rtm', ev('transport.vehicle.position', T + 6 * MIN, { location: north(100) }))] },
  },
  'district-anomaly': {
    fires: { setup: (e) => e.setBaselines({ 'district-anomaly': { weeks: 4, groups: { A: flat(0.5) }, city: flat(0.5) } }), events: Array.from({ length: 8 }, (_, i) => ev('incident.theft', T + i * 5 * MIN, { location: IN_A })) },
    quiet: { setup: (e) => e.setBaselines({ 'district-anomaly': { weeks: 4, groups: { A: flat(8) }, city: flat(8) } }), events: Array.from({ length: 8 }, (_, i) => ev('incident.theft', T + i * 5 * MIN, { location: IN_A })) },
  },
  'feed-silent': {
    fires: { events: [from('rtm', ev('transport.vehicle.position', T, { location: IN_A }))], tickTo: T + 21 * MIN },
    // Positions still coming; an incident log and a prefecture's CAP warning quiet since: they speak when something happens.
    quiet: { events: [from('rtm', ev('transport.vehicle.position', T, { location: IN_A })), from('csu', ev('incident.x', T)), from('prefecture', ev('event.warning.met', T)), from('rtm', ev('transport.vehicle.position', T + 15 * MIN, { location: IN_A }))], tickTo: T + 21 * MIN },
  },
  'feed-unusually-quiet': {
    fires: { setup: (e) => e.setBaselines({ 'feed-unusually-quiet': { weeks: 4, groups: { csu: flat(120) }, city: flat(1) } }), events: [from('csu', ev('incident.x', T))], tickTo: T + 12 * MIN },
    quiet: { setup: (e) => e.setBaselines({ 'feed-unusually-quiet': { weeks: 4, groups: { csu: flat(2) }, city: flat(1) } }), events: [from('csu', ev('incident.x', T))], tickTo: T + 12 * MIN },
  },
  'station-transport-crowd': {
    fires: { events: [ev('transport.incident', T, { location: IN_A }), ev('crowd.report', T + 5 * MIN, { location: north(100) })] },
    quiet: { events: [ev('transport.incident', T, { location: IN_A }), ev('crowd.report', T + 5 * MIN, { location: north(400) })] },
  },
  'stop-not-served': {
    fires: { events: [0, 8, 16].map((m, i) => ev('transport.stop.skipped', T + m * MIN, { attributes: { stopRef: 'rtm:NOAILLES', tripId: `T${i}` } })) },
    // The same trip in two snapshots, a third trip too late, other stops: never three distinct trips at one stop within 30 minutes.
    quiet: { events: [
      ev('transport.stop.skipped', T, { attributes: { stopRef: 'rtm:NOAILLES', tripId: 'T1' } }),
      ev('transport.stop.skipped', T + 5 * MIN, { attributes: { stopRef: 'rtm:NOAILLES', tripId: 'T1' } }),
      ev('transport.stop.skipped', T + 10 * MIN, { attributes: { stopRef: 'rtm:NOAILLES', tripId: 'T2' } }),
      ev('transport.stop.skipped', T + 12 * MIN, { attributes: { stopRef: 'zou:NOAILLES', tripId: 'Z5' } }), // another operator's stop of that name
      ev('transport.stop.skipped', T + 20 * MIN, { attributes: { stopRef: 'rtm:CASTELLANE', tripId: 'T3' } }),
      ev('transport.stop.skipped', T + 41 * MIN, { attributes: { stopRef: 'rtm:NOAILLES', tripId: 'T4' } }),
    ] },
  },
  'match-end-surge': {
    fires: {
      setup: (e) => e.setCalendar([{ id: 'om', kind: 'match', start: T - 120 * MIN, end: T, phases: { departure: [T - 10 * MIN, T + 60 * MIN] } }]),
      events: [0, 2, 4, 6, 8].map((m) => ev('crowd.report', T + m * MIN, { location: IN_A })),
    },
    quiet: { events: [0, 2, 4, 6, 8].map((m) => ev('crowd.report', T + m * MIN, { location: IN_A })) },
  },
  'school-hours-incidents': {
    fires: { events: [ev('incident.fight', TUE_0830, { location: IN_A })] },
    quiet: { events: [ev('incident.fight', TUE_0830 + 4 * 60 * MIN, { location: IN_A }), ev('incident.fight', TUE_0830 + 24 * 60 * MIN, { location: IN_A })] },
  },
  'repeated-citizen-reports': {
    fires: { events: [0, 60, 600].map((m) => ev('citizen.report', T + m * MIN, { location: north(m / 60) })) },
    quiet: { events: [0, 60, 600].map((m, i) => ev('citizen.report', T + m * MIN, { location: north(i * 400) })) },
  },
  'near-repeat-burglary': {
    fires: { events: [ev('incident.burglary', T, { location: IN_A }), ev('incident.burglary', T + 3 * 1440 * MIN, { location: north(150) })] },
    quiet: { events: [ev('incident.burglary', T, { location: IN_A }), ev('incident.burglary', T + 8 * 1440 * MIN, { location: north(150) })] },
  },
};

function play(ruleId: string, s: Scenario): AlertTransition[] {
  const rule = library.rules.find((r) => r.id === ruleId)!;
  const engine = new Engine({ zones: new ZoneIndex([ZONE_A, ZONE_B, SCHOOL]), timeZone: 'Europe/Paris' }, [rule]);
  s.setup?.(engine);
  const first = Math.min(...s.events.map((e) => Date.parse(e.time)));
  const out = engine.tick(first);
  for (const e of s.events) out.push(...engine.ingest(e));
  out.push(...engine.tick(Math.max(s.tickTo ?? 0, ...s.events.map((e) => Date.parse(e.time))) + 130_000));
  return out.filter((t) => t.kind === 'fired');
}

describe('the stock library', () => {
  it('every rule file parses and compiles; there are at least 12', () => {
    expect(library.errors).toEqual([]);
    expect(library.rules.length).toBe(files.length);
    expect(library.rules.length).toBeGreaterThanOrEqual(12);
    expect(new Set(library.rules.map((r) => r.kind))).toEqual(new Set(['match', 'threshold', 'anomaly', 'sequence', 'cooccurrence', 'absence']));
  });

  it('every rule speaks English too: its title, description and actions, with the same placeholders as its own', () => {
    const placeholders = (t: string) => [...t.matchAll(/\{[^}]*\}/g)].map((m) => m[0]).sort();
    for (const r of library.rules) {
      const en = r.definition.translations?.en;
      expect(en, r.id).toBeDefined();
      expect(placeholders(en!.title), r.id).toEqual(placeholders(r.title));
      expect(en!.description, r.id).toBeTruthy();
      expect(en!.actions?.map(placeholders), r.id).toEqual(r.actions.map(placeholders));
    }
  });

  it('every rule has a scenario where it fires and one where it does not', () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(library.rules.map((r) => r.id).sort());
  });

  for (const [ruleId, s] of Object.entries(SCENARIOS)) {
    it(`${ruleId}: fires on its scenario, stays quiet on the other`, () => {
      const fired = play(ruleId, s.fires);
      expect(fired.length, 'fires').toBeGreaterThanOrEqual(1);
      expect(fired[0]!.ruleId).toBe(ruleId);
      expect(fired[0]!.title).not.toMatch(/\{/);
      expect(fired[0]!.translations?.en?.title).not.toMatch(/\{/);
      expect(play(ruleId, s.quiet), 'quiet').toEqual([]);
    });
  }

  it('stop-not-served names the stop where its events say its name, else its reference', () => {
    const skips = (named: boolean) => [0, 8, 16].map((m, i) => ev('transport.stop.skipped', T + m * MIN, { attributes: { stopRef: 'rtm:NOAILLES', tripId: `T${i}`, ...(named ? { stopName: 'Noailles' } : {}) } }));
    expect(play('stop-not-served', { events: skips(true) })[0]!.title).toBe('Arrêt non desservi (Noailles) — 3 courses');
    expect(play('stop-not-served', { events: skips(false) })[0]!.title).toBe('Arrêt non desservi (rtm:NOAILLES) — 3 courses');
    expect(play('stop-not-served', { events: skips(true) })[0]!.translations!.en!.title).toBe('Stop not served (Noailles) — 3 trips');
  });

  it('a bad file is reported with file, line and field; the others load', () => {
    const lib = loadRuleFiles([...files, { name: 'broken.yaml', text: 'id: broken\ntitle: B\nseverity: loud\nkind: match\n' }, { name: 'dup.yaml', text: files[0]!.text }]);
    expect(lib.rules.length).toBe(files.length);
    expect(lib.errors).toEqual([
      { file: 'broken.yaml', line: 3, column: 11, field: 'severity', message: expect.any(String), reason: { key: 'one_of', values: ['info', 'low', 'medium', 'high', 'critical'] } },
      { file: 'dup.yaml', line: 1, column: 1, field: 'id', message: expect.stringMatching(/already used/) },
    ]);
  });
});
