import { MAX_ZONE_POSITIONS, ringCrossing, valueAt, Zone, ZoneGeometry, type ItemReason } from '@vigie/rules';
import type { core } from 'zod';
import { describeIssue } from '../ingest/item-reason.ts';
import type { ItemError } from '../ingest/pipeline.ts';
import { UNSTORABLE, unstorableText } from '../ingest/unstorable-text.ts';

/** How the features of one file become zones (the query of `POST /api/v1/zones/import`). */
export type ZoneImportOptions = { kind: string; idProperty: string; nameProperty: string; tags: string[] };

/** A feature not imported: its index in `features` and why, as every refused item of the API says it. */
export type ZoneRejection = { index: number; error: ItemError };

type Feature = { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown };

const GEOMETRY_TYPES = ['Polygon', 'MultiPolygon'];
/** The longest zone id (`Zone.id`). */
const MAX_ZONE_ID = 100;

/** What a value is, for a message: `array` and `null` apart from `object`. */
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A refusal naming the feature's member (`geometry.coordinates.0`, `properties.name`), with its reason as data. */
const refusal = (index: number, field: string | undefined, message: string, reason: ItemReason): ZoneRejection =>
  ({ index, error: { code: 'VIGIE_VALIDATION', ...(field ? { field } : {}), message: field ? `${field}: ${message}` : message, reason } });

/** The field, message and reason of a geometry zod refused (the member under `geometry`). */
function geometryIssue(issue: core.$ZodIssue, geometry: unknown): { field: string; message: string; reason: ItemReason } {
  const { field, message, reason } = describeIssue(issue, geometry);
  const at = field ? `geometry.${field}` : 'geometry';
  if (issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'type') {
    const type = valueAt(geometry, ['type']);
    return type === undefined
      ? { field: at, message: 'required (Polygon or MultiPolygon)', reason: { key: 'required' } }
      : { field: at, message: `expected Polygon or MultiPolygon, got ${typeof type === 'string' ? JSON.stringify(type) : kindOf(type)}`, reason: { key: 'one_of', values: GEOMETRY_TYPES } };
  }
  return { field: at, message: `${message} (Polygon or MultiPolygon)`, reason };
}

/** The positions of a geometry, all rings of all its polygons. */
function countPositions(g: ZoneGeometry): number {
  let n = 0;
  for (const rings of g.type === 'Polygon' ? [g.coordinates] : g.coordinates) for (const ring of rings) n += ring.length;
  return n;
}

/**
 * The first ring of a geometry that crosses itself (see `ringCrossing`), as the member that
 * holds it (`geometry.coordinates.0`, or `geometry.coordinates.1.0` in a MultiPolygon) and what
 * to say of it; undefined when none does.
 */
function firstCrossing(g: ZoneGeometry): { field: string; message: string; reason: ItemReason } | undefined {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (let p = 0; p < polygons.length; p++) {
    const rings = polygons[p]!;
    for (let r = 0; r < rings.length; r++) {
      const c = ringCrossing(rings[r]!);
      if (!c) continue;
      const field = g.type === 'Polygon' ? `geometry.coordinates.${r}` : `geometry.coordinates.${p}.${r}`;
      if (c === 'intricate') return { field, message: 'the ring is too intricate to check (thousands of long edges side by side): simplify the boundary', reason: { key: 'invalid' } };
      const [a, b] = c;
      return {
        field, reason: { key: 'self_crossing' },
        message: `the ring crosses itself (its edge from position ${a} to ${a + 1} crosses the one from ${b} to ${b + 1}): a zone's boundary must not cross itself, or its inside is unclear`,
      };
    }
  }
  return undefined;
}

/**
 * The zones of a GeoJSON FeatureCollection's `features`, and the features refused, each with
 * `{code, message, field, reason}` like a refused event: `field` names the feature's bad member
 * (`properties.<idProperty>`, `properties.<nameProperty>`, `geometry…`). Features sharing an id
 * are all refused, each naming the others (the zone would depend on the order of the file).
 * `indexes`: each zone's feature, by its index in `features`. The id is the feature's
 * `properties.<idProperty>`, or (`idProperty` being `id`) the feature's own `id` (RFC 7946).
 */
export function readZoneFeatures(features: readonly unknown[], o: ZoneImportOptions): { zones: Zone[]; indexes: number[]; rejected: ZoneRejection[] } {
  const idField = `properties.${o.idProperty}`, nameField = `properties.${o.nameProperty}`;
  /** The feature's member a field of the zone comes from. */
  const member = (field: string) => (field === 'id' ? idField : field === 'name' ? nameField : field);
  const read: { index: number; zone: Zone; id: string }[] = [];
  const rejected: ZoneRejection[] = [];
  features.forEach((raw, index) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      return rejected.push(refusal(index, undefined, `expected a GeoJSON Feature (an object), got ${kindOf(raw)}`, { key: 'type' }));
    }
    const f = raw as Feature;
    const props = f.properties && typeof f.properties === 'object' ? f.properties : {};
    const own = (key: string) => (Object.hasOwn(props, key) ? props[key] : undefined);
    // RFC 7946: a feature's identifier may be its own `id` member, beside its properties.
    const id = own(o.idProperty) ?? (o.idProperty === 'id' && (typeof (f as { id?: unknown }).id === 'string' || typeof (f as { id?: unknown }).id === 'number') ? (f as { id: string | number }).id : undefined);
    const name = own(o.nameProperty) ?? id;
    if (id === undefined || id === null || id === '') return rejected.push(refusal(index, idField, 'required', { key: 'required' }));
    if (typeof id !== 'string' && typeof id !== 'number') return rejected.push(refusal(index, idField, `expected a string or a number, got ${kindOf(id)}`, { key: 'type' }));
    if (typeof name !== 'string' && typeof name !== 'number') return rejected.push(refusal(index, nameField, `expected a string or a number, got ${kindOf(name)}`, { key: 'type' }));
    const geometry = ZoneGeometry.safeParse(f.geometry);
    if (!geometry.success) {
      const g = geometryIssue(geometry.error.issues[0]!, f.geometry);
      return rejected.push(refusal(index, g.field, g.message, g.reason));
    }
    const positions = countPositions(geometry.data);
    if (positions > MAX_ZONE_POSITIONS) {
      return rejected.push(refusal(index, 'geometry.coordinates', `${positions} positions, at most ${MAX_ZONE_POSITIONS}: simplify the boundary (mapshaper -simplify, QGIS "Simplify"), every event is tested against it`, { key: 'too_big', limit: MAX_ZONE_POSITIONS }));
    }
    const crossing = firstCrossing(geometry.data);
    if (crossing) return rejected.push(refusal(index, crossing.field, crossing.message, crossing.reason));
    const candidate = { id: `${o.kind}-${String(id)}`, name: String(name), kind: o.kind, tags: o.tags, geometry: geometry.data };
    const zone = Zone.safeParse(candidate);
    if (!zone.success) {
      const issue = zone.error.issues[0]!;
      const d = describeIssue(issue, candidate);
      if (d.field === 'id' && d.reason.key === 'too_long') {
        // The limit is the zone id's, "<kind>-" included: the file's id has what is left.
        const limit = MAX_ZONE_ID - o.kind.length - 1;
        return rejected.push(refusal(index, idField, `at most ${limit} characters (the zone's id, "${o.kind}-" and this one, holds at most ${MAX_ZONE_ID})`, { key: 'too_long', limit }));
      }
      return rejected.push(refusal(index, member(d.field), d.message, d.reason));
    }
    const bad = unstorableText(zone.data);
    if (bad) return rejected.push(refusal(index, member(bad.field), UNSTORABLE[bad.key], { key: bad.key }));
    read.push({ index, zone: zone.data, id: String(id) });
  });
  const byId = new Map<string, typeof read>();
  for (const r of read) byId.set(r.zone.id, [...(byId.get(r.zone.id) ?? []), r]);
  const zones: Zone[] = [], indexes: number[] = [];
  for (const r of read) {
    const same = byId.get(r.zone.id)!;
    if (same.length === 1) { zones.push(r.zone); indexes.push(r.index); continue; }
    const others = same.filter((x) => x !== r).map((x) => x.index);
    rejected.push(refusal(r.index, idField, `"${r.id}" is also the id of feature${others.length > 1 ? 's' : ''} ${others.join(', ')}: ids must be unique in the file, so none of these features is imported`, { key: 'conflict' }));
  }
  rejected.sort((a, b) => a.index - b.index);
  return { zones, indexes, rejected };
}
