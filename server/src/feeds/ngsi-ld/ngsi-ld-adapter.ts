import { type Adapter, type Decoded, FeedFormatError, parseJsonBody, flatAttributes, idPart, invalid, isoFrom, lookup } from '../adapter.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** A JSON-LD typed value's own value (`{"@type": "DateTime", "@value": "…"}`), else the value. */
const typed = (v: unknown): unknown => (v && typeof v === 'object' && '@value' in v ? (v as Obj)['@value'] : v);
/** A property's value in normalized (`{type: "Property", value}`) or keyValues form. */
function value(v: unknown): unknown {
  const o = obj(v);
  if ('value' in o) return typed(o.value);
  if ('object' in o) return o.object;
  return typed(v);
}
/** The `observedAt` of a normalized property, if any. */
const observedAt = (v: unknown) => obj(v).observedAt;
/** A date-time, or the start of an ISO 8601 interval (`start/end`, as CrowdFlowObserved's `dateObserved` may be). */
const timeOf = (v: unknown, timeZone?: string) => isoFrom(typeof v === 'string' && v.includes('/') ? v.slice(0, v.indexOf('/')) : v, timeZone);
/**
 * The entity with its attributes' short names: a notification not compacted with an
 * `@context` names them in full (`https://smartdatamodels.org/dataModel.Alert/category`). A
 * short name the entity already has keeps its own value.
 */
function compacted(e: Obj): Obj {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(e)) {
    const short = /^[a-z][a-z0-9+.-]*:\/\/|^urn:/i.test(k) ? k.split(/[/#:]/).pop()! : k;
    if (!out.has(short) || short === k) out.set(short, v);
  }
  return Object.fromEntries(out);
}

/** The short type name, whether expanded (`https://…/Alert`) or not. */
/** A scalar as text; an object or array (which a hostile payload may make unprintable) is none. */
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const shortType = (t: unknown) => (text(Array.isArray(t) ? t[0] : t) ?? '').split(/[/#:]/).pop() ?? '';

type Position = { lat: number; lon: number };
const isPosition = (c: unknown): c is [number, number] =>
  Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' && Math.abs(c[1]) <= 90 && Math.abs(c[0]) <= 180;
/**
 * Every position of GeoJSON coordinates (a Point's one, a LineString's or Polygon's all), or
 * undefined if any is not one, or nested deeper than a MultiPolygon's four levels.
 */
function positions(c: unknown, out: [number, number][] = [], depth = 0): [number, number][] | undefined {
  if (isPosition(c)) {
    out.push(c);
    return out;
  }
  if (!Array.isArray(c) || c.length === 0 || depth > 4) return undefined;
  for (const x of c) if (!positions(x, out, depth + 1)) return undefined;
  return out;
}
/** Every position of a GeoJSON geometry (a GeometryCollection's members' too), or undefined. */
function geometryPositions(g: Obj): [number, number][] | undefined {
  if (g.type === 'GeometryCollection') {
    // Its members' positions (a collection within a collection is not read).
    const parts = Array.isArray(g.geometries) ? g.geometries.map((x) => (obj(x).type === 'GeometryCollection' ? undefined : geometryPositions(obj(x)))) : [];
    return parts.length && parts.every(Boolean) ? parts.flat() as [number, number][] : undefined;
  }
  return typeof g.type === 'string' ? positions(g.coordinates) : undefined;
}
/**
 * The entity's location: a Point's position, or the middle of another geometry's extent (a
 * crowd flow on a street is a LineString); of a multi-attribute location (several instances
 * with their `datasetId`), the first. `unreadable` when one is given but is no GeoJSON geometry.
 */
function location(v: unknown): { at?: Position; unreadable?: true } {
  if (v === undefined || v === null) return {};
  const g = obj(value(Array.isArray(v) ? v[0] : v));
  const all = geometryPositions(g);
  if (!all) return { unreadable: true };
  if (g.type === 'Point') return { at: { lat: all[0]![1], lon: all[0]![0] } };
  let minLat = 90, maxLat = -90, minLon = 180, maxLon = -180;
  for (const [lon, lat] of all) {
    minLat = Math.min(minLat, lat); maxLat = Math.max(maxLat, lat);
    minLon = Math.min(minLon, lon); maxLon = Math.max(maxLon, lon);
  }
  return { at: { lat: (minLat + maxLat) / 2, lon: (minLon + maxLon) / 2 } };
}

const ALERT_SEVERITY: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };
const slug = (s: unknown) => (text(s) ?? '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'other';

/** `times`: where the entity's own time may be, in order of preference: [field, value]. */
type Mapped = { type: string; times: [string, unknown][]; severity?: number; attributes: Obj; text?: string };

function alertType(category: string, sub: string): string {
  if (category !== 'traffic') return `incident.${sub}`;
  return /accident|injured|collision/.test(sub) ? `accident.${sub}` : `transport.road.${sub}`;
}

/** FIWARE smart data models Vigie knows. Each returns the event's type and fields. */
const MODELS: Record<string, (e: Obj) => Mapped> = {
  Alert: (e) => ({
    // A traffic alert is an accident only when it says so (carAccident, injuredBiker…); a jam or road works is transport.
    type: alertType(slug(value(e.category)), slug(value(e.subCategory))),
    times: [['dateIssued', value(e.dateIssued)], ['category.observedAt', observedAt(e.category)]],
    severity: lookup(ALERT_SEVERITY, text(value(e.severity))),
    attributes: { category: value(e.category), subCategory: value(e.subCategory), alertSource: value(e.alertSource), validTo: value(e.validTo) },
    text: typeof value(e.description) === 'string' ? (value(e.description) as string) : undefined,
  }),
  Streetlight: (e) => {
    // Without a status (a subscription to other attributes, powerState say), neither a fault nor a repair.
    const status = text(value(e.status));
    return {
      type: status === undefined ? 'lighting.update' : status === 'ok' ? 'lighting.repaired' : 'lighting.fault',
      times: [['status.observedAt', observedAt(e.status)], ['dateModified', value(e.dateModified)]],
      severity: status === undefined || status === 'ok' ? undefined : 1,
      attributes: { lampId: (text(e.id) ?? '').split(':').pop(), status, powerState: value(e.powerState) },
    };
  },
  CrowdFlowObserved: (e) => {
    const congested = value(e.congested) === true;
    return {
      type: congested ? 'crowd.congestion' : 'crowd.flow',
      times: [['dateObserved', value(e.dateObserved)], ['dateObservedTo', value(e.dateObservedTo)], ['peopleCount.observedAt', observedAt(e.peopleCount)]],
      severity: congested ? 3 : undefined,
      attributes: { peopleCount: value(e.peopleCount), occupancy: value(e.occupancy), averageHeadwayTime: value(e.averageHeadwayTime), congested: value(e.congested) },
    };
  },
};

/**
 * NGSI-LD notifications (what an Orion-LD subscription POSTs): `{type: "Notification", data:
 * [entities]}` with FIWARE Alert, Streetlight and CrowdFlowObserved entities, normalized or
 * keyValues. A bare array of entities is read too. An entity's time is its own (the model's
 * date or observedAt, else its `modifiedAt`); with none, the notification's, marked assumed
 * naming its `entity` (see `DecodedItem`). A time or location given but unreadable is skipped
 * (the next time is taken), and named in the event's `unreadable` attribute.
 */
export const ngsiLdAdapter: Adapter = {
  format: 'ngsi-ld',
  contentTypes: ['application/json', 'application/ld+json'],
  decode(body, ctx): Decoded {
    const root = parseJsonBody(body);
    const data = Array.isArray(root) ? root : obj(root).data;
    if (!Array.isArray(data)) throw new FeedFormatError('not an NGSI-LD notification: "data" must be an array of entities', 'data');
    const notifiedAt = isoFrom(obj(root).notifiedAt, ctx.timeZone) ?? ctx.now.toISOString();
    const out: Decoded = { items: [], rejected: [] };
    data.forEach((raw, index) => {
      const e = compacted(obj(raw));
      if (typeof e.id !== 'string' || !e.id) return out.rejected.push(invalid(index, 'data.id', 'required (a URI)', { key: 'required' }));
      const model = lookup(MODELS, shortType(e.type));
      if (!model) return out.rejected.push(invalid(index, 'data.type', `unsupported entity type "${shortType(e.type)}" (Alert, Streetlight, CrowdFlowObserved)`, { key: 'one_of', values: ['Alert', 'Streetlight', 'CrowdFlowObserved'] }));
      const m = model(e);
      let own: string | undefined;
      const unreadable: string[] = [];
      for (const [field, raw] of [...m.times, ['modifiedAt', typed(e.modifiedAt)] as [string, unknown]]) {
        if (raw === undefined || raw === null || raw === '') continue;
        own = timeOf(raw, ctx.timeZone);
        if (own) break;
        unreadable.push(field);
      }
      const time = own ?? notifiedAt;
      const place = location(e.location);
      if (place.unreadable) unreadable.push('location');
      const loc = place.at;
      out.items.push({
        index,
        // An entity updated without its time moving (a light switched off, an alert escalated) is a revision, not a conflict.
        revisable: true,
        ...(own ? {} : { entity: idPart(e.id) }),
        item: {
          id: `${idPart(e.id)}@${Date.parse(time) / 1000}`,
          source: ctx.source,
          type: m.type,
          time,
          ...(loc ? { location: loc } : {}),
          ...(m.severity ? { severity: m.severity } : {}),
          attributes: flatAttributes({ entityId: e.id, entityType: shortType(e.type), ...m.attributes, unreadable: unreadable.join(',') }),
          ...(m.text ? { text: m.text.slice(0, 10_000) } : {}),
        },
      });
    });
    return out;
  },
};
