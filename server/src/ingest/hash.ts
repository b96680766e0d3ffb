import crypto, { createHash } from 'node:crypto';
import type { Event } from '@vigie/rules';

/** JSON with object keys sorted, so that key order never makes two equal events differ. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export const contentHash = (v: unknown) => sha256(canonicalJson(v));
// The one-shot `crypto.hash` (Node ≥ 20.12) is about twice as fast on short texts as a Hash object.
const sha256: (text: string) => string = typeof crypto.hash === 'function'
  ? (text) => crypto.hash('sha256', text, 'base64url')
  : (text) => createHash('sha256').update(text).digest('base64url');

const str = JSON.stringify;
/** A finite number or a boolean as JSON (String gives the same text as JSON.stringify for these). */
const prim = (v: unknown) => (typeof v === 'string' ? str(v) : String(v));

/**
 * `canonicalJson(e)` for a valid event (the shape `Event` checks: flat attributes, finite
 * numbers), written out field by field: the keys in sorted order without sorting them.
 */
export function eventCanonicalJson(e: Event): string {
  let out = '{';
  const a = e.attributes;
  if (a !== undefined) {
    const keys = Object.keys(a);
    if (keys.length > 1) keys.sort();
    out += '"attributes":{';
    let first = true;
    for (const k of keys) {
      const v = a[k];
      if (v === undefined) continue;
      out += `${first ? '' : ','}${str(k)}:${prim(v)}`;
      first = false;
    }
    out += '},';
  }
  out += `"id":${str(e.id)}`;
  if (e.location !== undefined) out += `,"location":{"lat":${prim(e.location.lat)},"lon":${prim(e.location.lon)}}`;
  if (e.severity !== undefined) out += `,"severity":${prim(e.severity)}`;
  out += `,"source":${str(e.source)}`;
  if (e.text !== undefined) out += `,"text":${str(e.text)}`;
  out += `,"time":${str(e.time)},"type":${str(e.type)}}`;
  return out;
}

/**
 * The content hash of a valid event (equal to `contentHash(e)`), and the JSON text of the
 * stored event (the same fields plus `receivedAt`) built from the same text, so that the
 * event is serialised once.
 */
export function hashEvent(e: Event, receivedAt: string): { hash: string; json: string } {
  const canonical = eventCanonicalJson(e);
  return { hash: sha256(canonical), json: `${canonical.slice(0, -1)},"receivedAt":${str(receivedAt)}}` };
}
