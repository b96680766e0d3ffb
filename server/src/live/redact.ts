import type { Alert } from '@vigie/rules';

/** What a wall screen may see of an alert: no names, no event ids or keys, no comments. */
export function forWall(a: Alert): Alert {
  return {
    ...a,
    key: '',
    assignee: null,
    history: [],
    evidence: a.evidence.map((e) => ({ source: e.source, id: '', type: e.type, time: e.time, ...(e.location ? { location: e.location } : {}) })),
  };
}
