import { localClock } from '@vigie/rules';
import GtfsRealtimeBindings from 'gtfs-realtime-bindings';
import { type Adapter, contentDigest, type Decoded, FeedFormatError, flatAttributes, idPart, invalid, isoFrom, lookup } from '../adapter.ts';

const { FeedMessage } = GtfsRealtimeBindings.transit_realtime;

// protobufjs toObject() output: loosely typed by nature, read field by field below.
type Obj = Record<string, any>;

/** Decodes a GTFS-Realtime FeedMessage; throws a FeedFormatError when it is not one. */
export function decodeFeedMessage(body: Uint8Array): Obj {
  let msg;
  try {
    msg = FeedMessage.decode(body);
  } catch (e) {
    throw new FeedFormatError(`not a GTFS-Realtime FeedMessage: ${(e as Error).message}`);
  }
  const o = FeedMessage.toObject(msg, { longs: Number, enums: String, defaults: false }) as Obj;
  if (!o.header?.gtfsRealtimeVersion) throw new FeedFormatError('not a GTFS-Realtime FeedMessage: header.gtfs_realtime_version is missing', 'header');
  return o;
}

const text = (t: Obj | undefined): string | undefined => {
  const tr = (t?.translation ?? []) as Obj[];
  const pick = tr.find((x) => typeof x.language === 'string' && /^fr\b/i.test(x.language)) ?? tr.find((x) => !x.language) ?? tr[0];
  return typeof pick?.text === 'string' ? pick.text : undefined;
};

/** The distinct ids among `values` (empty and missing ones left out), in their order. */
const distinctIds = (values: unknown[]): string[] =>
  [...new Set(values.filter((v) => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number').map(String))];

/** Ids as one attribute, comma-separated: as many whole ids as an attribute's 1000 characters hold. */
function listOf(ids: string[]): string {
  let out = '';
  for (const id of ids) {
    const next = out ? `${out},${id}` : id;
    if (next.length > 1000) break;
    out = next;
  }
  return out;
}

const severityOf: Record<string, number> = { INFO: 1, WARNING: 3, SEVERE: 4 };

/**
 * A trip's service day, `YYYYMMDD`: its `start_date`, else the city's date at `time` (many feeds
 * leave it out and run the same trip id every day: a cancellation or a skipped stop on another
 * day is another event, not a repeat of the first).
 */
function serviceDay(startDate: unknown, time: string, timeZone = 'Europe/Paris'): string {
  if (typeof startDate === 'string' && startDate) return startDate;
  const c = localClock(Date.parse(time), timeZone);
  return `${c.year}${String(c.month).padStart(2, '0')}${String(c.day).padStart(2, '0')}`;
}

/**
 * GTFS-Realtime (any operator): VehiclePositions → `transport.vehicle.position`, TripUpdates
 * with a delay → `transport.delay` (a cancelled trip → `transport.cancellation`, a stop it skips
 * → `transport.stop.skipped`: one per trip, stop and service day, see `serviceDay`), Alerts →
 * `transport.alert`. Positions' and delays' ids derive from the entity id
 * and its timestamp (the entity's, else the feed header's, else the arrival's), so polling the
 * same snapshot twice yields duplicates, not new events. A vehicle or trip without a timestamp
 * of its own names its `entity`: each new snapshot would otherwise store its unchanged position
 * or delay again (see `DecodedItem`). An alert's id derives from its content; without an active
 * period its time is the header's, which moves with each snapshot: it is marked `timeAssumed`.
 */
export const gtfsRtAdapter: Adapter = {
  format: 'gtfs-rt',
  contentTypes: ['application/x-protobuf', 'application/octet-stream', 'application/protobuf', 'application/vnd.google.protobuf'],
  decode(body, ctx): Decoded {
    const feed = decodeFeedMessage(body);
    const headerTime = isoFrom(feed.header.timestamp) ?? ctx.now.toISOString();
    const out: Decoded = { items: [], rejected: [] };
    ((feed.entity ?? []) as Obj[]).forEach((e, index) => {
      if (!e.id) return out.rejected.push(invalid(index, 'entity.id', 'required', { key: 'required' }));
      if (e.isDeleted) return;
      if (e.vehicle) {
        const v = e.vehicle as Obj;
        if (!v.position) return out.rejected.push(invalid(index, 'vehicle.position', 'required', { key: 'required' }));
        // 0,0 is what a tracker without a fix sends (or a position left at its default): no place in a city.
        if (v.position.latitude === 0 && v.position.longitude === 0) return out.rejected.push(invalid(index, 'vehicle.position', 'at 0,0: a tracker without a fix', { key: 'invalid' }));
        const own = isoFrom(v.timestamp), time = own ?? headerTime;
        const vehicleId = String(v.vehicle?.id ?? v.vehicle?.label ?? e.id);
        out.items.push({
          index,
          ...(own ? {} : { entity: `veh-${vehicleId}` }),
          item: {
            id: `veh-${vehicleId}-${Date.parse(time) / 1000}`,
            source: ctx.source,
            type: 'transport.vehicle.position',
            time,
            location: { lat: v.position.latitude, lon: v.position.longitude },
            attributes: flatAttributes({
              vehicleId, line: v.trip?.routeId, tripId: v.trip?.tripId, label: v.vehicle?.label,
              bearing: v.position.bearing, speed: v.position.speed, stopId: v.stopId,
              status: v.currentStatus, occupancy: v.occupancyStatus,
            }),
          },
        });
      } else if (e.tripUpdate) {
        const t = e.tripUpdate as Obj;
        const stu = (t.stopTimeUpdate ?? []) as Obj[];
        // The delay at the trip's next stop it serves (a skipped stop's delay says nothing of where the vehicle is late).
        const first = stu.find((s) => s.scheduleRelationship !== 'SKIPPED' && (s.arrival?.delay !== undefined || s.departure?.delay !== undefined));
        const delay = t.delay ?? first?.arrival?.delay ?? first?.departure?.delay;
        const cancelled = t.trip?.scheduleRelationship === 'CANCELED';
        const own = isoFrom(t.timestamp), time = own ?? headerTime;
        const trip = `trip-${t.trip?.tripId ?? e.id}`;
        const day = serviceDay(t.trip?.startDate, time, ctx.timeZone);
        if (!cancelled) {
          // A stop the trip will not serve (a station closed, a diversion): one event per trip, stop (its place in the trip: a loop passes a stop twice)
          // and service day, whatever snapshot repeats it. A stop named by its sequence only is not one a map or a rule can place: left out.
          for (const s of stu) {
            const stopId = s.stopId === undefined || s.stopId === null ? '' : String(s.stopId);
            if (s.scheduleRelationship !== 'SKIPPED' || !stopId) continue;
            out.items.push({
              index,
              timeAssumed: true,
              item: {
                id: `skip-${idPart(`${t.trip?.tripId ?? e.id}|${day}|${s.stopSequence ?? ''}|${stopId}`)}`,
                source: ctx.source,
                type: 'transport.stop.skipped',
                time,
                severity: 2,
                // stopRef: the stop across operators (the id of the place a GTFS static import makes of it), as rules group by it.
                attributes: flatAttributes({ line: t.trip?.routeId, tripId: t.trip?.tripId, stopId, stopRef: `${ctx.source}:${stopId}`, stopSequence: s.stopSequence, serviceDay: day }),
              },
            });
          }
        }
        if (delay === undefined && !cancelled) return; // no delay given (on time, or times only: the schedule is not known here)
        out.items.push({
          index,
          // A cancellation is one per trip and service day, whatever snapshot repeats it (its time moves with each): a duplicate then.
          ...(cancelled ? { timeAssumed: true as const } : own ? {} : { entity: trip }),
          item: cancelled
            ? {
              // A whole trip cancelled: a gap in the service (its stops wait for nobody).
              id: `${trip}-${idPart(day)}-cancelled`,
              source: ctx.source,
              type: 'transport.cancellation',
              time,
              severity: 2,
              attributes: flatAttributes({ line: t.trip?.routeId, tripId: t.trip?.tripId, startTime: t.trip?.startTime, startDate: t.trip?.startDate }),
            }
            : {
              id: `${trip}-${Date.parse(time) / 1000}`,
              source: ctx.source,
              type: 'transport.delay',
              time,
              severity: Math.abs(delay!) >= 900 ? 3 : Math.abs(delay!) >= 300 ? 2 : 1,
              attributes: flatAttributes({ delaySeconds: delay, line: t.trip?.routeId, tripId: t.trip?.tripId, vehicleId: t.vehicle?.id, stopId: first?.stopId }),
            },
        });
      } else if (e.alert) {
        const a = e.alert as Obj;
        const ownStart = isoFrom(a.activePeriod?.[0]?.start);
        // The lines and stops it concerns: the first of each names it (a stop places it), all of them listed when several.
        const informed = (a.informedEntity ?? []) as Obj[];
        const lines = distinctIds(informed.map((x) => x.routeId)), stops = distinctIds(informed.map((x) => x.stopId));
        const where = flatAttributes({ line: lines[0], stopId: stops[0], ...(lines.length > 1 ? { lines: listOf(lines) } : {}), ...(stops.length > 1 ? { stops: listOf(stops) } : {}) });
        // Vigie once read the first informed entity only: an alert it now reads otherwise gets another id, so that, sent again
        // after an upgrade, it is stored once more as it reads now, rather than refused, every time, as a conflict with the stored one.
        const readBefore = JSON.stringify(flatAttributes({ line: informed[0]?.routeId, stopId: informed[0]?.stopId })) === JSON.stringify(where);
        const header = text(a.headerText), description = text(a.descriptionText);
        out.items.push({
          index,
          ...(ownStart ? {} : { timeAssumed: true as const }),
          item: {
            // An alert has no version of its own: its content is one (an edited alert is a new event, the same one a duplicate).
            id: `alert-${idPart(e.id)}-${contentDigest(`${readBefore ? '' : 'informed:'}${JSON.stringify(a)}`)}`,
            source: ctx.source,
            type: 'transport.alert',
            time: ownStart ?? headerTime,
            severity: lookup(severityOf, a.severityLevel) ?? 2,
            // alertId: the operator's own id, the same for every version of one alert (to count it once).
            attributes: flatAttributes({ alertId: idPart(e.id), cause: a.cause, effect: a.effect, ...where, header, end: isoFrom(a.activePeriod?.[0]?.end) }),
            ...(header || description ? { text: [header, description].filter(Boolean).join(' — ').slice(0, 10_000) } : {}),
          },
        });
      } else {
        out.rejected.push(invalid(index, 'entity', 'neither vehicle, trip_update nor alert', { key: 'invalid' }));
      }
    });
    return out;
  },
};

/** Encodes a FeedMessage (tests, the simulator, benchmarks). */
export function encodeFeedMessage(message: Obj): Uint8Array {
  return FeedMessage.encode(FeedMessage.fromObject(message)).finish();
}
