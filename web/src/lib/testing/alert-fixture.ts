import type { Alert, AlertMessage } from '@vigie/rules';

/** A complete alert for unit tests; override what the test is about. */
export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'a1',
    ruleId: 'dark-junction',
    key: 'k1',
    status: 'open',
    severity: 'high',
    title: 'Accident near a street light out',
    actions: ['Send a patrol'],
    location: { lat: 43.2965, lon: 5.3698 },
    zones: ['z1'],
    count: 1,
    firstAt: '2026-11-28T21:00:00+01:00',
    lastAt: '2026-11-28T21:14:05+01:00',
    createdAt: '2026-11-28T21:14:06+01:00',
    updatedAt: '2026-11-28T21:14:06+01:00',
    conditionActive: true,
    assignee: null,
    explanation: { summary: 'An accident 30 m from a dark lamp', conditions: ['within 24h'], numbers: { distance: 30 } },
    evidence: [],
    history: [],
    version: 1,
    seq: 1,
    ...overrides,
  };
}

export function makeMessage(seq: number, overrides: Partial<Alert> = {}): AlertMessage {
  const alert = makeAlert({ seq, ...overrides });
  return { seq, version: alert.version, alert };
}
