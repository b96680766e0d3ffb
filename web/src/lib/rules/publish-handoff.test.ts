import { describe, expect, it } from 'vitest';
import { handOver, takeHandoff, type Handoff } from './publish-handoff.ts';

const h = (id: string, at: number): Handoff => ({
  id, at, message: 'Règle publiée, version 1.', text: `id: ${id}\n`,
  backtest: { period: '30d', customFrom: '2024-11-01T00:00', customTo: '2024-11-02T00:00', done: null },
});

describe('what a new rule\'s page hands to the page of the rule it created', () => {
  it('is taken once, by that rule\'s page', () => {
    handOver(h('vols', 1_000));
    expect(takeHandoff('vols', 2_000)).toEqual(h('vols', 1_000));
    expect(takeHandoff('vols', 2_000)).toBeNull();
  });

  it('is dropped by another page, and when it is old', () => {
    handOver(h('vols', 1_000));
    expect(takeHandoff('autre', 2_000)).toBeNull();
    expect(takeHandoff('vols', 2_000)).toBeNull();
    handOver(h('vols', 1_000));
    expect(takeHandoff('vols', 1_000 + 60_000)).toBeNull();
  });
});
