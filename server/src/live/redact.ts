import type { Alert, MapSample } from '@vigie/rules';

/**
 * What a wall screen may see of an alert: its rule, severity, place, zones, times and title;
 * no key (it may hold a field's value), no assignee or history (names, comments), no event
 * ids, no explanation (its numbers name keys and values), no actions.
 */
export function forWall(a: Alert): Alert {
  return {
    ...a,
    key: '',
    assignee: null,
    history: [],
    actions: [],
    ...(a.translations ? { translations: Object.fromEntries(Object.entries(a.translations).map(([lang, t]) => [lang, { title: t.title }])) } : {}),
    explanation: { ...(a.explanation.kind ? { kind: a.explanation.kind } : {}), summary: '', conditions: [], numbers: {} },
    evidence: a.evidence.map((e) => ({ source: e.source, id: '', type: e.type, time: e.time, ...(e.location ? { location: e.location } : {}) })),
  };
}

/** What a wall screen may see of the map sample: positions and types, no event ids. */
export function sampleForWall(s: MapSample): MapSample {
  return {
    vehicles: s.vehicles,
    events: s.events.map((e) => ({ ...e, id: '' })),
  };
}
