import type { Alert, Place, Zone } from '@vigie/rules';

export const ROLES = ['operator', 'supervisor', 'admin', 'wall'] as const;
export type Role = (typeof ROLES)[number];

export type User = { username: string; role: Role; displayName: string };

/** What `login` and `me` answer: the user and the token to echo in `X-CSRF-Token`. */
export type Session = { user: User; csrfToken: string };

/** `GET /api/v1/config`: the city shown by the console. */
export type CityConfig = {
  city: { name: string; center: [lat: number, lon: number]; zoom: number };
  /** Tile URL template; empty when the map has to be drawn without tiles. */
  tileUrl: string;
  tileAttribution: string;
  demo: boolean;
  /** The city's time zone (IANA), for times shown as the city's clock. */
  timeZone: string;
};

export type ZoneList = { zones: Zone[] };
export type PlaceList = { places: Place[] };
export type AlertList = { alerts: Alert[]; lastSeq: number };

/** Every API error body: `{ error: { code, message, details? } }`. */
export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };
