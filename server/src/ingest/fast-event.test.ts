import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Event } from '@vigie/rules';
import { FAST_PATH_ENABLED, fastEvent } from './fast-event.ts';
import { canonicalJson, contentHash, eventCanonicalJson, hashEvent } from './hash.ts';
import { prepareBatch } from './pipeline.ts';
import { Pseudonymiser } from './pseudonymise.ts';

/**
 * The fast path and the zod schema agree: whatever the fast path accepts, zod accepts with
 * exactly the same value (same keys in the same order); whatever zod refuses, the fast path
 * refuses too. Inputs are mostly near-valid events with one thing pushed to or past a bound.
 */
const RUNS = 20_000;

const edgeString = (min: number, max: number) => fc.oneof(
  fc.string({ minLength: min, maxLength: Math.min(max, 20) }),
  fc.constantFrom(min, Math.max(0, min - 1), max, max + 1).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const number = fc.oneof(
  fc.double(), fc.integer({ min: -200, max: 200 }), fc.constantFrom(-180, -180.0001, -90, -90.5, 90, 90.5, 180, 180.0001, 0, -0, NaN, Infinity, -Infinity, 1.5, 5, 6, 1e21),
);
const primitive = fc.oneof(edgeString(0, 1000), number, fc.boolean(), fc.constant(null), fc.constant(undefined));
const value = fc.oneof({ weight: 5, arbitrary: primitive }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.array(primitive, { maxLength: 2 }) });

const validEvent = fc.record({
  id: fc.string({ minLength: 1, maxLength: 30 }),
  source: fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,10}$/),
  type: fc.stringMatching(/^[a-z][a-z0-9_]{0,5}(\.[a-z0-9_*-]{1,5}){0,3}$/),
  time: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  location: fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }),
  severity: fc.integer({ min: 1, max: 5 }),
  attributes: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }).filter((k) => k !== '__proto__'), fc.oneof(fc.string({ maxLength: 10 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean()), { maxKeys: 5 }),
  text: fc.string({ maxLength: 50 }),
}, { requiredKeys: ['id', 'source', 'type', 'time'] });

const times = fc.oneof(
  fc.constantFrom('2026-11-28T20:00:00Z', '2026-11-28T20:00:00.123456+01:00', '2024-02-29T00:00:00Z', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z',
    '2026-11-28T24:00:00Z', '2026-11-28T20:00:00', '2026-11-28 20:00:00Z', '2026-11-28T20:00Z', '2026-11-28T20:00:00+0100', '2026-04-31T00:00:00Z', '2000-02-29T00:00:00-23:59'),
  fc.string({ maxLength: 30 }),
);

/** A valid event with one field replaced, removed, or an extra key. */
const mutated = fc.tuple(validEvent, fc.constantFrom('id', 'source', 'type', 'time', 'location', 'severity', 'attributes', 'text', 'extra', '__proto__'), fc.nat(9), value, times, fc.string({ maxLength: 70 }))
  .map(([e, field, how, v, t, key]) => {
    const o: Record<string, unknown> = { ...e };
    if (how === 0) delete o[field];
    else if (field === 'time' && how < 6) o.time = t;
    else if (field === 'location' && how < 6) o.location = how === 1 ? { lat: v, lon: 1 } : how === 2 ? { lat: 1, lon: v } : how === 3 ? { lat: 1, lon: 2, alt: v } : how === 4 ? { lat: 1 } : [1, 2];
    else if (field === 'attributes' && how < 7) o.attributes = how === 1 ? { [key]: 1 } : how === 2 ? { k: v } : how === 3 ? JSON.parse('{"__proto__":1,"a":2}') : how === 4 ? Object.assign(Object.create(null), { a: v }) : how === 5 ? { '': 1 } : [v];
    else if (field === 'type' && how < 4) o.type = how === 1 ? `a.${'b'.repeat(98)}` : how === 2 ? `a.${'b'.repeat(97)}` : 'A.b';
    else if (field === '__proto__') return JSON.parse(`{"__proto__":${JSON.stringify(v ?? null)},"id":"i","source":"s","type":"t","time":"2026-11-28T20:00:00Z"}`) as unknown;
    else o[field] = v;
    return o;
  });

const input = fc.oneof(
  { weight: 3, arbitrary: validEvent },
  { weight: 6, arbitrary: mutated },
  { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 })) },
);

describe('fast event validation', () => {
  it('is on for the schema it mirrors', () => {
    expect(FAST_PATH_ENABLED).toBe(true);
  });

  it('accepts only what zod accepts, with the very same value', () => {
    let fast = 0;
    fc.assert(fc.property(input, (x) => {
      const f = fastEvent(x);
      const z = Event.safeParse(x);
      if (f === undefined) return;
      fast++;
      expect(z.success).toBe(true);
      expect(f).toStrictEqual(z.data);
      expect(Object.keys(f)).toEqual(Object.keys(z.data!));
      expect(JSON.stringify(f)).toBe(JSON.stringify(z.data));
    }), { numRuns: RUNS });
    expect(fast).toBeGreaterThan(RUNS / 5); // the common shape does take the fast path
  });

  it('leaves to zod the times it accepts but PostgreSQL would refuse (year 0000, an offset past ±15:59)', () => {
    for (const time of ['0000-06-01T00:00:00Z', '2026-11-28T21:00:00+16:00', '2026-11-28T21:00:00-23:59']) {
      const e = { id: 'x', source: 'csu', type: 'incident.theft', time };
      expect(fastEvent(e)).toBeUndefined();
      expect(Event.safeParse(e).success).toBe(false);
    }
    expect(fastEvent({ id: 'x', source: 'csu', type: 'incident.theft', time: '0001-01-01T00:00:00-15:59' })).toBeDefined();
  });

  it('takes the fast path for every valid event of the usual shape', () => {
    fc.assert(fc.property(validEvent, (e) => {
      expect(fastEvent(JSON.parse(JSON.stringify(e)))).toStrictEqual(Event.parse(JSON.parse(JSON.stringify(e))));
    }), { numRuns: 2000 });
  });

  it('leaves errors to zod: the pipeline reports the same code, field and message', () => {
    const ps = new Pseudonymiser('fast-path-test-key-0123456789', 'k1');
    fc.assert(fc.property(fc.array(input, { maxLength: 20 }), (items) => {
      const got = prepareBatch(items, { name: 't', sources: null }, ps, '2026-11-28T20:00:00.000Z');
      for (const r of got.rejected) {
        // NUL and a time out of the stored range are the pipeline's own checks, after zod's.
        if (r.error.code !== 'VIGIE_VALIDATION' || r.error.message.includes('NUL') || r.error.reason?.key === 'time_range') continue;
        const z = Event.safeParse(items[r.index]);
        expect(z.success).toBe(false);
        const issue = z.error!.issues[0]!;
        expect(r.error.field).toBe(issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]].join('.') : issue.path.join('.'));
      }
    }), { numRuns: 2000 });
  });
});

describe('event hashing', () => {
  it('keeps the hashes already stored: SHA-256 of the canonical JSON, base64url', () => {
    const e = { id: 'x', source: 's', type: 'a.b', time: '2026-11-28T20:00:00Z', attributes: { b: 1, a: 'é' } };
    const expected = createHash('sha256').update('{"attributes":{"a":"é","b":1},"id":"x","source":"s","time":"2026-11-28T20:00:00Z","type":"a.b"}').digest('base64url');
    expect(contentHash(e)).toBe(expected);
    expect(hashEvent(e, '2026-11-28T20:00:01Z').hash).toBe(expected);
  });

  it('eventCanonicalJson is canonicalJson for valid events, and the stored JSON is the event plus receivedAt', () => {
    fc.assert(fc.property(validEvent, fc.date({ noInvalidDate: true }), (x, at) => {
      const e = Event.parse(x);
      expect(eventCanonicalJson(e)).toBe(canonicalJson(e));
      const receivedAt = at.toISOString();
      const { hash, json } = hashEvent(e, receivedAt);
      expect(hash).toBe(contentHash(e));
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ ...e, receivedAt })));
    }), { numRuns: 5000 });
  });
});
