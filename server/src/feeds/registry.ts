import type { Adapter } from './adapter.ts';
import { capAdapter } from './cap/cap-in.ts';
import { eventsAdapter } from './canonical/events-adapter.ts';
import { csvAdapter } from './csv/csv-adapter.ts';
import { gtfsRtAdapter } from './gtfs-rt/gtfs-rt-adapter.ts';
import { ngsiLdAdapter } from './ngsi-ld/ngsi-ld-adapter.ts';
import { siriAdapter, siriLiteAdapter } from './siri/siri-adapter.ts';

/** Every standard format `POST /api/v1/ingest/{format}` and MQTT mappings accept. */
export const ADAPTERS: Record<string, Adapter> = Object.fromEntries(
  [gtfsRtAdapter, siriAdapter, siriLiteAdapter, capAdapter, ngsiLdAdapter, csvAdapter, eventsAdapter].map((a) => [a.format, a]),
);
export const FORMATS = Object.keys(ADAPTERS);
