import { describe, expect, it } from 'vitest';
import type { Alert } from '@vigie/rules';
import { forWall, sampleForWall } from './redact.ts';

const alert: Alert = {
  id: 'a1', ruleId: 'assault-injured', key: 'witness=Jeanne Martin', status: 'acknowledged', severity: 'high', title: 'Agression avec blessé — Vieux-Port',
  actions: ['Appeler Jeanne Martin'], translations: { en: { title: 'Assault with an injured person — Vieux-Port', actions: ['Call Jeanne Martin'] } }, location: { lat: 43.29, lon: 5.37 }, zones: ['sector-1'], count: 1,
  firstAt: '2026-11-28T20:00:00Z', lastAt: '2026-11-28T20:00:00Z', createdAt: '2026-11-28T20:00:01Z', updatedAt: '2026-11-28T20:01:00Z',
  conditionActive: true, assignee: 'operator',
  explanation: { kind: 'match', summary: 'witness Jeanne Martin', conditions: ['attributes.witness = Jeanne Martin'], numbers: { key: 'Jeanne Martin' } },
  evidence: [{ source: 'csu', id: 'csu-42', type: 'incident.assault', time: '2026-11-28T20:00:00Z', location: { lat: 43.29, lon: 5.37 } }],
  history: [{ at: '2026-11-28T20:01:00Z', by: 'operator', action: 'comment', note: 'Jeanne Martin rappelée' }],
  version: 2, seq: 7,
};

describe('the wall redaction', () => {
  it('keeps what a wall shows and drops every name, key, note, event id and explanation value', () => {
    const w = forWall(alert);
    expect(JSON.stringify(w)).not.toMatch(/Jeanne|csu-42|operator/);
    expect(w).toMatchObject({ id: 'a1', severity: 'high', status: 'acknowledged', title: alert.title, translations: { en: { title: alert.translations!.en!.title } }, location: alert.location, zones: ['sector-1'], version: 2, seq: 7 });
    expect(w.evidence).toEqual([{ source: 'csu', id: '', type: 'incident.assault', time: '2026-11-28T20:00:00Z', location: { lat: 43.29, lon: 5.37 } }]);
  });

  it('drops event ids from the map sample', () => {
    const s = sampleForWall({ vehicles: [{ id: 'bus-1', lat: 43.3, lon: 5.4, time: 't' }], events: [{ source: 'csu', id: 'csu-42', type: 'incident.theft', time: 't', lat: 43.3, lon: 5.4 }] });
    expect(JSON.stringify(s)).not.toContain('csu-42');
    expect(s.events[0]).toMatchObject({ source: 'csu', type: 'incident.theft', lat: 43.3, lon: 5.4 });
  });
});
