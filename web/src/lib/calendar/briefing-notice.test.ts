import type { Briefing } from '@vigie/rules';
import { describe, expect, it } from 'vitest';
import { briefingNotice } from './briefing-notice.ts';

const briefing = (comparables: number) => ({ comparables: Array.from({ length: comparables }, () => ({})) }) as unknown as Briefing;

describe('what a briefing says before its figures', () => {
  it('nothing to estimate from: no week of history and no comparable event', () => {
    expect(briefingNotice({ historyWeeks: 0, briefing: briefing(0) })).toBe('no-history');
  });
  it('only the surge of comparable events: no week of history', () => {
    expect(briefingNotice({ historyWeeks: 0, briefing: briefing(2) })).toBe('no-usual');
  });
  it('nothing with a week of history or more, nor from a server that does not say', () => {
    expect(briefingNotice({ historyWeeks: 1, briefing: briefing(0) })).toBeNull();
    expect(briefingNotice({ briefing: briefing(0) })).toBeNull();
  });
});
