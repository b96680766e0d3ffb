import { asArray, contentDigest, type Decoded, flatAttributes, idPart, invalid, isoFrom, lookup, type AdapterContext } from '../adapter.ts';
import { canonicalJson } from '../../ingest/hash.ts';
import { textOf } from '../xml.ts';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const first = (v: unknown): Obj => obj(asArray(v)[0]);

/** A SIRI "Content" or message text: the French one if several languages, else the first. */
function message(v: unknown): string | undefined {
  const all = asArray(v);
  const isFr = (l: unknown) => typeof l === 'string' && /^fr\b/i.test(l); // fr, FR, fr-FR
  const fr = all.find((x) => isFr(obj(x)['@lang']) || isFr(obj(x).lang) || isFr(obj(obj(x).MessageText).lang));
  return textOf(fr ?? all[0]);
}

/** A time element: absent, read, or present but unreadable (the message is then refused, not given another time). */
function timeElement(v: unknown, timeZone?: string): { time?: string; unreadable?: string } {
  const raw = textOf(v);
  if (raw === undefined || raw.trim() === '') return {};
  const time = isoFrom(raw, timeZone);
  return time ? { time } : { unreadable: raw };
}
const NOT_A_TIME = (raw: string) => `not a date-time: "${raw.slice(0, 40)}"`;

const versionedAt = (p: Obj, timeZone?: string) => { const t = isoFrom(textOf(p.VersionedAtTime), timeZone); return t ? String(Date.parse(t) / 1000) : undefined; };

/** A SIRI Location (WGS84 Longitude and Latitude), or undefined when it holds no position. */
function positionOf(l: Obj): { lat: number; lon: number } | undefined {
  const latText = textOf(l.Latitude)?.trim(), lonText = textOf(l.Longitude)?.trim();
  if (!latText || !lonText) return undefined; // absent or empty (Number("") is 0: not a place)
  const lat = Number(latText), lon = Number(lonText);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  return { lat, lon };
}

const SEVERITY: Record<string, number> = { verySlight: 1, slight: 1, normal: 2, severe: 3, verySevere: 4, noImpact: 1, unknown: 2, undefined: 2 };

/**
 * The SIRI 2.x deliveries Vigie reads, from XML (after parsing) or SIRI Lite JSON (same names):
 * GeneralMessage (`InfoMessage` in SIRI Lite) → `transport.message`, SituationExchange's
 * PtSituationElement (a disruption of the network) → `transport.incident`. Index counts messages across the deliveries.
 * A message without its own time (RecordedAtTime; StartTime or CreationTime) takes the
 * response's, which changes with each response: marked `timeAssumed` where its id holds its
 * version, else (a general message without a version) naming its `entity` (see `DecodedItem`).
 */
export function siriToEvents(root: Obj, ctx: AdapterContext): Decoded {
  const siri = obj(root.Siri ?? root.siri);
  const sd = obj(siri.ServiceDelivery);
  const out: Decoded = { items: [], rejected: [] };
  let index = 0;
  const tz = ctx.timeZone;
  const fallbackTime = isoFrom(textOf(sd.ResponseTimestamp), tz) ?? ctx.now.toISOString();

  for (const gmd of asArray(sd.GeneralMessageDelivery)) {
    for (const m of [...asArray(obj(gmd).GeneralMessage), ...asArray(obj(gmd).InfoMessage)]) {
      const i = index++;
      const g = obj(m);
      const id = textOf(g.InfoMessageIdentifier);
      if (!id) { out.rejected.push(invalid(i, 'InfoMessageIdentifier', 'required', { key: 'required' })); continue; }
      const content = obj(g.Content);
      const own = timeElement(g.RecordedAtTime, tz);
      if (own.unreadable !== undefined) { out.rejected.push(invalid(i, 'RecordedAtTime', NOT_A_TIME(own.unreadable), { key: 'datetime' })); continue; }
      const recorded = own.time ?? fallbackTime;
      const version = textOf(g.InfoMessageVersion);
      const txt = message(first(content.Message).MessageText ?? content.MessageText ?? content.Message);
      out.items.push({
        index: i,
        ...(own.time ? {} : version !== undefined ? { timeAssumed: true as const } : { entity: `gm-${idPart(id)}` }),
        item: {
          id: `gm-${idPart(id)}-${idPart(version ?? Date.parse(recorded) / 1000)}`,
          source: ctx.source,
          type: 'transport.message',
          time: recorded,
          attributes: flatAttributes({
            channel: textOf(g.InfoChannelRef),
            line: textOf(asArray(content.LineRef)[0]) ?? textOf(first(content.AffectedRef).LineRef),
            stopId: textOf(content.StopPointRef),
            validUntil: isoFrom(textOf(g.ValidUntilTime), tz),
          }),
          ...(txt ? { text: txt.slice(0, 10_000) } : {}),
        },
      });
    }
  }

  for (const sxd of asArray(sd.SituationExchangeDelivery)) {
    for (const s of asArray(obj(obj(sxd).Situations).PtSituationElement)) {
      const i = index++;
      const p = obj(s);
      const id = textOf(p.SituationNumber);
      if (!id) { out.rejected.push(invalid(i, 'SituationNumber', 'required', { key: 'required' })); continue; }
      const period = first(p.ValidityPeriod);
      const start = timeElement(period.StartTime, tz), created = timeElement(p.CreationTime, tz);
      if (start.unreadable !== undefined) { out.rejected.push(invalid(i, 'ValidityPeriod.StartTime', NOT_A_TIME(start.unreadable), { key: 'datetime' })); continue; }
      if (created.unreadable !== undefined) { out.rejected.push(invalid(i, 'CreationTime', NOT_A_TIME(created.unreadable), { key: 'datetime' })); continue; }
      const ownTime = start.time ?? created.time;
      const time = ownTime ?? fallbackTime;
      const affects = obj(p.Affects);
      // Every line the situation affects (across its networks): the first as `line`, all as `lines` when several.
      const lines = [...new Set(asArray(obj(affects.Networks).AffectedNetwork).flatMap((n) => asArray(obj(n).AffectedLine)).map((l) => textOf(obj(l).LineRef)).filter((l): l is string => Boolean(l)))];
      const line = lines[0];
      const stopPoint = first(obj(affects.StopPoints).AffectedStopPoint);
      const stop = textOf(stopPoint.StopPointRef);
      const summary = message(p.Summary), description = message(p.Description);
      const situation = {
        source: ctx.source,
        type: 'transport.incident',
        time,
        severity: lookup(SEVERITY, textOf(p.Severity)) ?? 2,
        attributes: flatAttributes({
          line, ...(lines.length > 1 ? { lines: lines.join(',') } : {}), stopId: stop, reason: textOf(p.MiscellaneousReason) ?? textOf(p.EnvironmentReason) ?? textOf(p.EquipmentReason) ?? textOf(p.PersonnelReason),
          progress: textOf(p.Progress), validUntil: isoFrom(textOf(period.EndTime), tz),
        }),
        ...(summary || description ? { text: [summary, description].filter(Boolean).join(' — ').slice(0, 10_000) } : {}),
      };
      // Without a Version, its VersionedAtTime; without either, one version per content, all of it but an assumed time (an update, say closed or on another line, is a new one, not a conflict).
      // (The stop's name and position are left out of that content: they come with its StopPointRef, and left it unchanged when first read.)
      const version = textOf(p.Version) ?? versionedAt(p, tz) ?? `c${contentDigest(canonicalJson({ ...situation, time: ownTime }))}`;
      const name = message(stopPoint.StopPointName)?.trim(), stopName = name ? name : undefined, location = positionOf(obj(stopPoint.Location));
      out.items.push({
        index: i,
        ...(ownTime ? {} : { timeAssumed: true as const }),
        // Placed by its stop, as Vigie places an event at a stop it imported: the same situation stored before either is no conflict.
        ...(location || stopName !== undefined ? { placed: true as const } : {}),
        item: {
          id: `sx-${idPart(id)}-${idPart(version)}`, ...situation,
          ...(location ? { location } : {}),
          ...(stopName !== undefined ? { attributes: { ...situation.attributes, stopName } } : {}),
        },
      });
    }
  }
  return out;
}
