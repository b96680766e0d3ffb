import type * as Leaflet from 'leaflet';

export type LeafletModule = typeof Leaflet;
export type { Leaflet };

/**
 * Leaflet touches `window` when it loads, so it is only ever imported in the browser,
 * on demand. (Its CommonJS build comes through as the default export.)
 */
export async function loadLeaflet(): Promise<LeafletModule> {
  const module = (await import('leaflet')) as LeafletModule & { default?: LeafletModule };
  return module.default ?? module;
}
