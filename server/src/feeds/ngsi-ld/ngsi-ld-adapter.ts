import { type Adapter, type Decoded, FeedFormatError, parseJsonBody, flatAttributes, idPart, invalid, isoFrom, lookup } from '../adapter.ts';

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
const observedAt = (v: unknown) => isoFrom(obj(v).observedAt);
/** The short type name, whether expanded (`https://…/Alert`) or not. */
const shortType = (t: unknown) => String(Array.isArray(t) ? t[0] : t ?? '').split(/[/#:]/).pop() ?? '';

function location(v: unknown): { lat: number; lon: number } | undefined {
  const g = obj(value(v));
  const c = g.coordinates;
  if (g.type === 'Point' && Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') return { lat: c[1], lon: c[0] };
  return undefined;
}

const ALERT_SEVERITY: Record<string, number> = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 };
const slug = (s: unknown) => String(s ?? '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'other';

type Mapped = { type: string; time?: string; severity?: number; attributes: Obj; text?: string };

/** FIWARE smart data models Vigie knows. Each returns the event's type and fields. */
const MODELS: Record<string, (e: Obj) => Mapped> = {
  Alert: (e) => ({
    type: `${slug(value(e.category)) === 'traffic' ? 'accident' : 'incident'}.${slug(value(e.subCategory))}`,
    time: isoFrom(value(e.dateIssued)) ?? observedAt(e.category),
    severity: lookup(ALERT_SEVERITY, String(value(e.severity))),
    attributes: { category: value(e.category), subCategory: value(e.subCategory), alertSource: value(e.alertSource), validTo: value(e.validTo) },
    text: typeof value(e.description) === 'string' ? (value(e.description) as string) : undefined,
  }),
  Streetlight: (e) => {
    const status = String(value(e.status) ?? 'ok');
    return {
      type: status === 'ok' ? 'lighting.repaired' : 'lighting.fault',
      time: observedAt(e.status) ?? isoFrom(value(e.dateModified)),
      severity: status === 'ok' ? undefined : 1,
      attributes: { lampId: String(e.id).split(':').pop(), status, powerState: value(e.powerState) },
    };
  },
  CrowdFlowObserved: (e) => {
    const congested = value(e.congested) === true;
    return {
      type: congested ? 'crowd.congestion' : 'crowd.flow',
      time: isoFrom(value(e.dateObserved)) ?? isoFrom(value(e.dateObservedTo)) ?? observedAt(e.peopleCount),
      severity: congested ? 3 : undefined,
      attributes: { peopleCount: value(e.peopleCount), occupancy: value(e.occupancy), averageHeadwayTime: value(e.averageHeadwayTime), congested: value(e.congested) },
    };
  },
};

/**
 * NGSI-LD notifications (what an Orion-LD subscription POSTs): `{type: "Notification", data:
 * [entities]}` with FIWARE Alert, Streetlight and CrowdFlowObserved entities, normalized or
 * keyValues. A bare array of entities is read too.
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
      const time = m.time ?? isoFrom(e.modifiedAt) ?? notifiedAt;
      const loc = location(e.location);
      out.items.push({
        index,
        item: {
          id: `${idPart(e.id)}@${Date.parse(time) / 1000}`,
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
