import type { MapSample } from '@vigie/rules';

export type SampledEvent = MapSample['events'][number];

/** The map's event layers: each sampled event goes to one of them by its type. */
export const EVENT_LAYERS = ['incidents', 'lighting', 'citizen', 'health'] as const;
export type EventLayer = (typeof EVENT_LAYERS)[number];

export function eventLayerOf(type: string): EventLayer | null {
  // The layer of lighting faults: a repair or a light's other news (lighting.repaired, lighting.update) is none.
  if (type.startsWith('lighting.')) return type === 'lighting.fault' || type.startsWith('lighting.fault.') ? 'lighting' : null;
  if (type.startsWith('citizen.')) return 'citizen';
  if (type.startsWith('health.')) return 'health';
  if (/^(incident|accident|crowd|transport)\./.test(type)) return 'incidents';
  return null;
}

/** How long an event stays on the map and in the heatmap. */
export const RECENT_MS = 60 * 60_000;
export const MAX_RECENT = 5000;

/** The recent events after a sample arrives at `now`: new ones added (once), old ones dropped. */
export function addRecentEvents(known: readonly SampledEvent[], sample: readonly SampledEvent[], now: number, keepMs = RECENT_MS, max = MAX_RECENT): SampledEvent[] {
  const seen = new Set(known.map((e) => `${e.source}/${e.id}`));
  const merged = [...known, ...sample.filter((e) => !seen.has(`${e.source}/${e.id}`))];
  const fresh = merged.filter((e) => now - Date.parse(e.time) <= keepMs);
  return fresh.slice(-max);
}

/** Heat weight of an event: its severity (1–5) over 5, 0.4 when it has none. */
export const heatWeight = (e: SampledEvent): number => (e.severity ? e.severity / 5 : 0.4);
