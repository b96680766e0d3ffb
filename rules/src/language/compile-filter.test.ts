import { describe, expect, it } from 'vitest';
import { EventContext } from '../engine/context.ts';
import { ZoneIndex } from '../geo/zone-index.ts';
import { IN_A, IN_B, ZONE_A, squareZone } from '../testing/fixtures.ts';
import type { Event } from '../domain/event.ts';
import { compileFilter, globToRegExp } from './compile-filter.ts';
import type { Filter } from './filter-schema.ts';

const zones = new ZoneIndex([ZONE_A, squareZone('B', 43.29, 5.37, 0.01, 'sector', ['night'])]);
const ctx = (e: Partial<Event>) =>
  new EventContext({ id: '1', source: 'csu', type: 'incident.assault', time: '2026-11-28T21:14:05+01:00', ...e }, { zones, timeZone: 'Europe/Paris' });
const test = (f: Filter, e: Partial<Event> = {}) => compileFilter(f)(ctx(e));

describe('compileFilter', () => {
  it('short form: equality, glob, list', () => {
    expect(test({ type: 'incident.assault' })).toBe(true);
    expect(test({ type: 'incident.*' })).toBe(true);
    expect(test({ type: 'accident.*' })).toBe(false);
    expect(test({ type: ['accident.*', 'incident.theft'] })).toBe(false);
    expect(test({ source: 'csu', type: 'incident.*' })).toBe(true);
    expect(test({ severity: [4, 5] }, { severity: 4 })).toBe(true);
    expect(test({ severity: [4, 5] })).toBe(false);
  });

  it('full form: all, any, not and comparison operators', () => {
    expect(test({ all: [{ type: 'incident.*' }, { field: 'severity', op: 'gte', value: 3 }] }, { severity: 3 })).toBe(true);
    expect(test({ all: [{ type: 'incident.*' }, { field: 'severity', op: 'gt', value: 3 }] }, { severity: 3 })).toBe(false);
    expect(test({ any: [{ type: 'x' }, { source: 'csu' }] })).toBe(true);
    expect(test({ not: { source: 'csu' } })).toBe(false);
    expect(test({ field: 'attributes.injured', op: 'lt', value: 2 }, { attributes: { injured: 1 } })).toBe(true);
    expect(test({ field: 'attributes.injured', op: 'lt', value: 2 })).toBe(false);
    expect(test({ field: 'source', op: 'in', value: ['csu', 'rtm'] })).toBe(true);
    expect(test({ field: 'source', op: 'nin', value: ['csu'] })).toBe(false);
    expect(test({ field: 'text', op: 'contains', value: 'VÉLO' }, { text: 'chute de vélo' })).toBe(true);
    expect(test({ field: 'attributes.lampId', op: 'exists' }, { attributes: { lampId: 'L1' } })).toBe(true);
    expect(test({ field: 'attributes.lampId', op: 'exists', value: false })).toBe(true);
    expect(test({ field: 'id', op: 'ne', value: '1' })).toBe(false);
  });

  it('spatial operators: inZone by id or tag, withinMeters', () => {
    expect(test({ op: 'inZone', value: 'A' }, { location: IN_A })).toBe(true);
    expect(test({ op: 'inZone', value: 'A' }, { location: IN_B })).toBe(false);
    expect(test({ op: 'inZone', value: 'tag:night' }, { location: IN_B })).toBe(true);
    expect(test({ op: 'inZone', value: 'A' })).toBe(false);
    const near = { op: 'withinMeters', value: { lat: 43.2965, lon: 5.3698, meters: 50 } } as const;
    expect(test(near, { location: { lat: 43.2966, lon: 5.3699 } })).toBe(true);
    expect(test(near, { location: { lat: 43.2975, lon: 5.3698 } })).toBe(false); // ~111 m north
  });

  it('time operators use the city time zone, across daylight saving', () => {
    // 21:14 in Paris (UTC+1 in November)
    expect(test({ op: 'hourBetween', value: [21, 6] })).toBe(true);
    expect(test({ op: 'hourBetween', value: [6, 21] })).toBe(false);
    // 2026-07-01T04:30Z is 06:30 in Paris (UTC+2 in summer): outside [22, 6)
    expect(test({ op: 'hourBetween', value: [22, 6] }, { time: '2026-07-01T04:30:00Z' })).toBe(false);
    expect(test({ op: 'hourBetween', value: [22, 6] }, { time: '2026-01-01T04:30:00Z' })).toBe(true);
    // 2026-11-28 is a Saturday
    expect(test({ op: 'dayOfWeek', value: ['sat', 'sun'] })).toBe(true);
    expect(test({ op: 'dayOfWeek', value: [1, 2, 3, 4, 5] })).toBe(false);
  });

  it('globs escape regular-expression characters', () => {
    expect(globToRegExp('a.b*').test('a.bcd')).toBe(true);
    expect(globToRegExp('a.b*').test('aXbcd')).toBe(false);
    expect(globToRegExp('LUM-1300?').test('LUM-13001')).toBe(true);
  });
});
