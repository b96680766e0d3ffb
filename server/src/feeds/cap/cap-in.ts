import { type Adapter, asArray, type CodedArea, type Decoded, FeedFormatError, flatAttributes, idPart, invalid, isoFrom, lookup, type TemporaryZone } from '../adapter.ts';
import { MAX_ZONE_POSITIONS } from '@vigie/rules';
import { parseXml, textOf } from '../xml.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

const SEVERITY: Record<string, number> = { Extreme: 5, Severe: 4, Moderate: 3, Minor: 2, Unknown: 1 };
/** When a warning says nothing of its end, its zones last this long. */
const DEFAULT_SPAN_MS = 24 * 3_600_000;
/**
 * The longest a warning's areas stay zones, from their reception: a warning is for days (a weather
 * vigilance, a prefect's order for an event); an end years ahead (2099, a placeholder) would
 * leave a zone for good. The warning's event keeps the end it gave.
 */
export const MAX_ZONE_SPAN_MS = 31 * 86_400_000;

/** A CAP polygon ("lat,lon lat,lon …", closed) as a GeoJSON ring; undefined when unreadable. */
export function capPolygon(text: string): [number, number][] | undefined {
  const pts = text.trim().split(/\s+/).map((p) => p.split(',').map(Number));
  if (pts.length < 4 || pts.length > MAX_ZONE_POSITIONS || pts.some((p) => p.length !== 2 || !p.every(Number.isFinite) || Math.abs(p[0]!) > 90 || Math.abs(p[1]!) > 180)) return undefined;
  const ring = pts.map(([lat, lon]) => [lon!, lat!] as [number, number]);
  const [a, b] = [ring[0]!, ring[ring.length - 1]!];
  if (a[0] !== b[0] || a[1] !== b[1]) ring.push(a);
  return ring;
}

/** A CAP circle of radius 0 ("lat,lon 0"): a point, which CAP gives that way; undefined otherwise. */
export function capPoint(text: string): { lat: number; lon: number } | undefined {
  const m = /^\s*([^\s,]+)\s*,\s*([^\s,]+)\s+(\S+)\s*$/.exec(text);
  if (!m || Number(m[3]) !== 0) return undefined;
  const [lat, lon] = [Number(m[1]), Number(m[2])];
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 ? { lat, lon } : undefined;
}

/** A CAP circle ("lat,lon radiusKm") as a 32-sided GeoJSON ring; undefined when unreadable (or of radius 0: a point, see capPoint). */
export function capCircle(text: string): [number, number][] | undefined {
  const m = /^\s*([^\s,]+)\s*,\s*([^\s,]+)\s+(\S+)\s*$/.exec(text);
  if (!m) return undefined;
  const [lat, lon, km] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (![lat, lon, km].every(Number.isFinite) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || km <= 0 || km > 1000) return undefined;
  const dLat = km / 111.32, dLon = km / (111.32 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  const ring = Array.from({ length: 32 }, (_, k) => {
    const a = (k / 32) * 2 * Math.PI;
    // Near a pole the circle spans every longitude: clamped, as latitudes are, to the valid range.
    return [Math.max(-180, Math.min(180, lon + dLon * Math.cos(a))), Math.max(-90, Math.min(90, lat + dLat * Math.sin(a)))] as [number, number];
  });
  ring.push(ring[0]!);
  return ring;
}

/** CAP 1.2's closed lists (§3.2.1, §3.2.2). */
const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'];
const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'];
const CAP_CATEGORIES = ['Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other'];

const centroid = (ring: [number, number][]) => {
  const pts = ring.slice(0, -1);
  return { lat: pts.reduce((s, p) => s + p[1], 0) / pts.length, lon: pts.reduce((s, p) => s + p[0], 0) / pts.length };
};

/**
 * CAP 1.2 in (a prefecture's or the weather service's warnings): each `<info>` becomes an
 * `event.warning.<category>` event; its areas (polygons and circles) become temporary zones
 * until `expires` (24 h when absent), so that rules can use them while the warning holds. An
 * area given by `<geocode>`s only comes out as a coded area (see `CodedArea`).
 * Test and exercise messages give events but no zones.
 */
export const capAdapter: Adapter = {
  format: 'cap',
  contentTypes: ['application/cap+xml', 'application/xml', 'text/xml'],
  decode(body, ctx): Decoded {
    const root = parseXml(body, ctx.options?.charset);
    const alert = obj(root.alert);
    if (!root.alert) throw new FeedFormatError('not a CAP message: the root element must be <alert>', 'alert');
    for (const f of ['identifier', 'sender', 'sent', 'status', 'msgType']) {
      if (!textOf(alert[f])) throw new FeedFormatError(`CAP alert.${f} is required`, `alert.${f}`);
    }
    const identifier = textOf(alert.identifier)!;
    const sent = isoFrom(textOf(alert.sent), ctx.timeZone);
    if (!sent) throw new FeedFormatError('CAP alert.sent is not a date-time', 'alert.sent');
    const status = textOf(alert.status)!, msgType = textOf(alert.msgType)!;
    if (!CAP_STATUSES.includes(status)) throw new FeedFormatError(`CAP alert.status must be one of ${CAP_STATUSES.join(', ')}, not "${status.slice(0, 40)}"`, 'alert.status');
    if (!CAP_MSG_TYPES.includes(msgType)) throw new FeedFormatError(`CAP alert.msgType must be one of ${CAP_MSG_TYPES.join(', ')}, not "${msgType.slice(0, 40)}"`, 'alert.msgType');
    const out: Decoded = { items: [], rejected: [], zones: [] };
    // "sender,identifier,sent" triples, space separated: their zones end (Update replaces, Cancel lifts).
    if (msgType === 'Update' || msgType === 'Cancel') {
      out.endZones = (textOf(alert.references) ?? '').split(/\s+/).map((r) => r.split(',')[1]).filter((x): x is string => Boolean(x))
        .map((ref) => `cap-${ctx.source}-${idPart(ref)}#`);
    }
    // One info per language for the same warning (fr-FR and en-GB, as MeteoAlarm sends): the French ones, else the first language's.
    const infos = asArray(alert.info).map(obj);
    const languageOf = (info: Record<string, unknown>) => (textOf(info.language) ?? 'en-US').toLowerCase();
    const languages = infos.map(languageOf);
    const chosen = languages.find((l) => /^fr\b/.test(l)) ?? languages[0];
    const cancelled = msgType === 'Cancel';
    infos.forEach((info, index) => {
      if (languageOf(info) !== chosen) return;
      const event = textOf(info.event);
      if (!event) return out.rejected.push(invalid(index, 'info.event', 'required', { key: 'required' }));
      // CAP's closed list of categories: one outside it (a misspelt "Weather") is "other", not a type of its own rules would not know.
      const given = textOf(info.category)?.trim();
      const category = (CAP_CATEGORIES.find((c) => c.toLowerCase() === given?.toLowerCase()) ?? 'Other').toLowerCase();
      // A Cancel happens when it is sent (its info keeps the onset of the warning it lifts, days ago perhaps).
      const start = cancelled ? sent : isoFrom(textOf(info.onset), ctx.timeZone) ?? isoFrom(textOf(info.effective), ctx.timeZone) ?? sent;
      const expires = isoFrom(textOf(info.expires), ctx.timeZone) ?? new Date(Date.parse(start) + DEFAULT_SPAN_MS).toISOString();
      const rings: { ring: [number, number][]; name: string }[] = [];
      const coded: { name: string; codes: string[] }[] = [];
      const points: { lat: number; lon: number }[] = [];
      // Shapes the message gives but that cannot be read: counted on the warning (`unreadableAreas`); when
      // nothing else places it, the info is refused, naming the first (a warning placed nowhere would look accepted).
      let unreadable: { field: string; text: string } | undefined;
      let unreadableAreas = 0;
      asArray(info.area).forEach((a) => {
        const area = obj(a);
        // The warning and the area, as an operator reads them on the map: "Vigilance orange orages · Marseille centre".
        const desc = textOf(area.areaDesc);
        const name = desc && desc !== event ? `${event} · ${desc}` : event;
        const before = rings.length;
        for (const p of asArray(area.polygon)) {
          const r = capPolygon(textOf(p) ?? '');
          if (r) rings.push({ ring: r, name });
          else {
            unreadableAreas++;
            unreadable ??= { field: 'info.area.polygon', text: `not a polygon: from 4 to ${MAX_ZONE_POSITIONS} "lat,lon" points, space separated, within ±90 and ±180` };
          }
        }
        for (const c of asArray(area.circle)) {
          const r = capCircle(textOf(c) ?? ''), point = r ? undefined : capPoint(textOf(c) ?? '');
          if (r) rings.push({ ring: r, name });
          else if (point) points.push(point);
          else {
            unreadableAreas++;
            unreadable ??= { field: 'info.area.circle', text: 'not a circle: "lat,lon radius", a radius in km from 0 (a point) to 1000' };
          }
        }
        if (rings.length > before) return;
        // No shape: the codes that name it (Météo-France's départements, MeteoAlarm's EMMA_ID, a commune's INSEE code).
        const codes = asArray(area.geocode).map(obj).flatMap((g) => {
          const value = textOf(g.value)?.trim();
          return value ? [`${textOf(g.valueName)?.trim() ?? ''}=${value}`] : [];
        });
        if (codes.length) coded.push({ name, codes });
      });
      if (unreadable && rings.length + coded.length + points.length === 0) return out.rejected.push(invalid(index, unreadable.field, unreadable.text, { key: 'format' }));
      const id = `${idPart(identifier)}-${index}`;
      const zoneId = (k: number) => `cap-${ctx.source}-${idPart(identifier)}#${index}-${k}`;
      const areas = rings.length + coded.length;
      if (status === 'Actual' && msgType !== 'Cancel' && Date.parse(expires) > ctx.now.getTime()) {
        // A zone is in force from its reception (zones have no start): its span counts from then.
        const until = new Date(Math.min(Date.parse(expires), ctx.now.getTime() + MAX_ZONE_SPAN_MS)).toISOString();
        rings.forEach((r, k) => out.zones!.push({
          id: zoneId(k), name: r.name.slice(0, 200),
          geometry: { type: 'Polygon', coordinates: [r.ring] }, expiresAt: until,
        } satisfies TemporaryZone));
        coded.forEach((c, k) => (out.codedAreas ??= []).push({ id: zoneId(rings.length + k), name: c.name.slice(0, 200), codes: c.codes, expiresAt: until } satisfies CodedArea));
      }
      const headline = textOf(info.headline), description = textOf(info.description);
      out.items.push({
        index,
        item: {
          id,
          source: ctx.source,
          // A Cancel lifts the warnings it references: not a warning itself.
          type: cancelled ? `event.warning_lifted.${category}` : `event.warning.${category}`,
          time: start,
          severity: cancelled ? 1 : lookup(SEVERITY, textOf(info.severity)) ?? 1,
          ...(rings[0] ? { location: centroid(rings[0].ring) } : points[0] ? { location: points[0] } : {}),
          attributes: flatAttributes({
            event, status, msgType, urgency: textOf(info.urgency), certainty: textOf(info.certainty),
            capSeverity: textOf(info.severity), expires, sender: textOf(alert.sender), areas,
            zoneIds: Array.from({ length: areas }, (_, k) => zoneId(k)).join(','),
            ...(unreadableAreas ? { unreadableAreas } : {}),
          }),
          ...(headline || description ? { text: [headline, description].filter(Boolean).join(' — ').slice(0, 10_000) } : {}),
        },
      });
    });
    return out;
  },
};
