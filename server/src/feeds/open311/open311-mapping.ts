import { z } from 'zod';
import type { Event, StoredEvent } from '@vigie/rules';
import { flatAttributes } from '../adapter.ts';
import { OPEN311_BY_CODE, OPEN311_SOURCE } from './services.ts';

const coord = (min: number, max: number) => z.union([z.number(), z.string().trim().min(1).transform(Number)]).pipe(z.number().min(min).max(max));
const text = (max: number) => z.string().trim().max(max).optional();

/** A GeoReport v2 service request as POSTed (form fields or JSON); `lat`/`long` or `address_string` say where. */
export const Open311Request = z.object({
  service_code: z.string().min(1).refine((c) => OPEN311_BY_CODE.has(c), 'not a service code of GET /open311/v2/services.json'),
  lat: coord(-90, 90).optional(),
  long: coord(-180, 180).optional(),
  address_string: text(500),
  address_id: text(100),
  description: text(4000),
  email: text(200),
  first_name: text(100),
  last_name: text(100),
  phone: text(40),
  device_id: text(100),
  account_id: text(100),
  media_url: z.url().max(1000).optional(),
  jurisdiction_id: text(100),
  api_key: z.string().optional(),
}).refine((r) => (r.lat !== undefined && r.long !== undefined) || r.address_string || r.address_id, { message: 'give lat and long, or address_string', path: ['lat'] })
  .refine((r) => (r.lat === undefined) === (r.long === undefined), { message: 'lat and long go together', path: ['long'] });
export type Open311Request = z.infer<typeof Open311Request>;

/** A citizen's request as a canonical event; the personal fields are pseudonymised by the pipeline. */
export function open311ToEvent(r: Open311Request, id: string, now: Date): Event {
  const service = OPEN311_BY_CODE.get(r.service_code)!;
  return {
    id,
    source: OPEN311_SOURCE,
    type: service.type,
    time: now.toISOString(),
    ...(r.lat !== undefined && r.long !== undefined ? { location: { lat: r.lat, lon: r.long } } : {}),
    severity: 1,
    attributes: flatAttributes({
      serviceCode: r.service_code, address: r.address_string, addressId: r.address_id, mediaUrl: r.media_url,
      email: r.email, firstName: r.first_name, lastName: r.last_name, phone: r.phone,
    }),
    ...(r.description ? { text: r.description } : {}),
  };
}

/** A stored request as GeoReport v2 shows it (no personal field: they are pseudonyms anyway). */
export function eventToOpen311(e: StoredEvent) {
  const code = String(e.attributes?.serviceCode ?? '');
  return {
    service_request_id: e.id,
    status: 'open',
    service_code: code,
    service_name: OPEN311_BY_CODE.get(code)?.service_name ?? code,
    description: e.text ?? '',
    requested_datetime: e.time,
    updated_datetime: e.receivedAt,
    ...(e.location ? { lat: e.location.lat, long: e.location.lon } : {}),
    media_url: typeof e.attributes?.mediaUrl === 'string' ? e.attributes.mediaUrl : undefined,
  };
}
