import type { RuleSummary } from '@vigie/rules';
import { describe, expect, it } from 'vitest';
import { rulesUsingEvent } from './rules-using.ts';

const rule = (id: string, activeDuring?: unknown) => ({ id, definition: { id, activeDuring } }) as unknown as RuleSummary;

describe('the rules an event\'s removal changes', () => {
  it('are those active during the calendar that name its kind or its id', () => {
    const rules = [rule('surge', { calendar: 'match', phase: 'departure' }), rule('this-one', { calendar: 'ev-1' }), rule('concerts', { calendar: 'concert' }), rule('nights', { cron: '* 22-23 * * *' }), rule('always')];
    expect(rulesUsingEvent(rules, { id: 'ev-1', kind: 'match' }).map((r) => r.id)).toEqual(['surge', 'this-one']);
    expect(rulesUsingEvent(rules, { id: 'ev-2', kind: 'fair' })).toEqual([]);
  });
});
