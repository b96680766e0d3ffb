import type { Event } from '@vigie/rules';
import { pgMicros } from '../storage/pg-time.ts';
import { eventCanonicalJson } from './hash.ts';

/** Two ISO times naming the same instant (`…T21:00:00+01:00` and `…T20:00:00.000Z`), to the microsecond as stored. */
export function sameInstant(a: string, b: string): boolean {
  if (a === b) return true;
  const ma = pgMicros(a), mb = pgMicros(b);
  if (ma !== undefined && mb !== undefined) return ma === mb;
  const ta = Date.parse(a);
  return !Number.isNaN(ta) && ta === Date.parse(b);
}

/**
 * Whether an event sent again under a stored key is the one stored, though its body differs
 * byte for byte: its time written another way (another offset, other decimals), or, when the
 * message gave the item no time of its own (`timeAssumed`: the time is when it was sent or
 * received, and changes with every delivery), any time; when Vigie placed it (`placed`: at the
 * stop it names, not by its feed), any location and any stop name. Every other field must be equal.
 */
export function sameEvent(stored: Event, e: Event, timeAssumed: boolean, placed = false): boolean {
  if (!timeAssumed && !sameInstant(stored.time, e.time)) return false;
  const bare = (x: Event): Event => {
    const out = { ...x, time: '' };
    if (placed) {
      delete out.location;
      if (out.attributes?.stopName !== undefined) {
        const { stopName: _, ...rest } = out.attributes;
        out.attributes = rest;
      }
    }
    return out;
  };
  return eventCanonicalJson(bare(stored)) === eventCanonicalJson(bare(e));
}
