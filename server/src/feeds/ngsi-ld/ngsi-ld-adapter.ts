import { type Adapter, contentDigest, type Decoded, FeedFormatError, parseJsonBody, flatAttributes, idPart, invalid, isoFrom, lookup } from '../adapter.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** A property's value in normalized (`{type: "Property", value}`) or keyValues form. */
function value(v: unknown): unknown {
  const o = obj(v);
  if ('value' in o) return o.value;
  if ('object' in o) return o.object;
  return v;
}
/** The `observedAt` of a normalized property, if any. */
const observedAt = (v: unknown) => obj(v).observedAt;
/** The short type name, whether expanded (`https://…/Alert`) or not. */
const shortType = (t: unknown) => String(Array.isArray(t) ? t[0] : t ?? '').split(/[/#:]/).pop() ?? '';

type Position = { lat: number; lon: number };
const isPosition = (c: unknown): c is [number, number] =>
  Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number' && Math.abs(c[1]) <= 90 && Math.abs(c[0]) <= 180;
/** Every position of a GeoJSON geometry's coordinates (a Point's one, a LineString's or Polygon's all), or undefined if any is not one. */
function positions(c: unknown): [number, number][] | undefined {
  if (isPosition(c)) return [c];
  if (!Array.isArray(c) || c.length === 0) return undefined;
  const out: [number, number][] = [];
  for (const x of c) {
    const p = positions(x);
    if (!p) return undefined;
    out.push(...p);
  }
  return out;
}
/**
 * The entity's location: a Point's position, or the middle of another geometry's extent (a
 * crowd flow on a street is a LineString); `unreadable` when a location is given but is no
 * GeoJSON geometry (the entity is then refused, not stored without its place).
 */
function location(v: unknown): { at?: Position; unreadable?: true } {
  if (v === undefined || v === null) return {};
  const g = obj(value(v));
  const all = typeof g.type === 'string' ? positions(g.coordinates) : undefined;
  if (!all) return { unreadable: true };
  if (g.type === 'Point') return { at: { lat: all[0]![1], lon: all[0]![0] } };
  const lats = all.map((p) => p[1]), lons = all.map((p) => p[0]);
  return { at: { lat: (Math.min(...lats) + Math.max(...lats)) / 2, lon: (Math.min(...lons) + Math.max(...lons)) / 2 } };
}

const ALERT_SEVERITY: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };
const slug = (s: unknown) => String(s ?? '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'other';

/** `times`: where the entity's own time may be, in order of preference: [field, value]. */
type Mapped = { type: string; times: [string, unknown][]; severity?: number; attributes: Obj; text?: string };

/** FIWARE smart data models Vigie knows. Each returns the event's type and fields. */
const MODELS: Record<string, (e: Obj) => Mapped> = {
  Alert: (e) => ({
    type: `${slug(value(e.category)) === 'traffic' ? 'accident' : 'incident'}.${slug(value(e.subCategory))}`,
    times: [['dateIssued', value(e.dateIssued)], ['category.observedAt', observedAt(e.category)]],
    severity: lookup(ALERT_SEVERITY, String(value(e.severity))),
    attributes: { category: value(e.category), subCategory: value(e.subCategory), alertSource: value(e.alertSource), validTo: value(e.validTo) },
    text: typeof value(e.description) === 'string' ? (value(e.description) as string) : undefined,
  }),
  Streetlight: (e) => {
    const status = String(value(e.status) ?? 'ok');
    return {
      type: status === 'ok' ? 'lighting.repaired' : 'lighting.fault',
      times: [['status.observedAt', observedAt(e.status)], ['dateModified', value(e.dateModified)]],
      severity: status === 'ok' ? undefined : 1,
      attributes: { lampId: String(e.id).split(':').pop(), status, powerState: value(e.powerState) },
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
 * (see `DecodedItem`), and its id then derives from its content. A time or location given but
 * unreadable refuses the entity, naming the field.
 */
export const ngsiLdAdapter: Adapter = {
  format: 'ngsi-ld',
  contentTypes: ['application/json', 'application/ld+json'],
  decode(body, ctx): Decoded {
    const root = parseJsonBody(body);
    const data = Array.isArray(root) ? root : obj(root).data;
    if (!Array.isArray(data)) throw new FeedFormatError('not an NGSI-LD notification: "data" must be an array of entities', 'data');
    const notifiedAt = isoFrom(obj(root).notifiedAt) ?? ctx.now.toISOString();
    const out: Decoded = { items: [], rejected: [] };
    data.forEach((raw, index) => {
      const e = obj(raw);
      if (typeof e.id !== 'string' || !e.id) return out.rejected.push(invalid(index, 'data.id', 'required (a URI)'));
      const model = lookup(MODELS, shortType(e.type));
      if (!model) return out.rejected.push(invalid(index, 'data.type', `unsupported entity type "${shortType(e.type)}" (Alert, Streetlight, CrowdFlowObserved)`));
      const m = model(e);
      let own: string | undefined;
      for (const [field, raw] of [...m.times, ['modifiedAt', e.modifiedAt] as [string, unknown]]) {
        if (raw === undefined || raw === null || raw === '') continue;
        own = isoFrom(raw);
        if (!own) return out.rejected.push(invalid(index, `data.${field}`, `not a date-time: ${JSON.stringify(raw).slice(0, 40)}`));
        break;
      }
      const time = own ?? notifiedAt;
      const place = location(e.location);
      if (place.unreadable) return out.rejected.push(invalid(index, 'data.location', 'not a GeoJSON geometry (type and coordinates as [longitude, latitude])'));
      const loc = place.at;
      out.items.push({
        index,
        ...(own ? {} : { timeAssumed: true as const }),
        item: {
          id: `${idPart(e.id)}@${own ? Date.parse(time) / 1000 : `c${contentDigest(JSON.stringify(e))}`}`,
          source: ctx.source,
          type: m.type,
          time,
          ...(loc ? { location: loc } : {}),
          ...(m.severity ? { severity: m.severity } : {}),
          attributes: flatAttributes({ entityId: e.id, entityType: shortType(e.type), ...m.attributes }),
          ...(m.text ? { text: m.text.slice(0, 10_000) } : {}),
        },
      });
    });
    return out;
  },
};
