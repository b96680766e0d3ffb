import type * as Leaflet from 'leaflet';
import { translate, type Lang } from '../i18n/translate.ts';

/** Leaflet's zoom buttons with their titles in the console's language (Leaflet's own say "Zoom in" whatever the page's). */
export function zoomControl(L: typeof Leaflet, lang: Lang, position: Leaflet.ControlPosition = 'topleft'): Leaflet.Control.Zoom {
  return L.control.zoom({ position, zoomInTitle: translate(lang, 'map.zoomIn'), zoomOutTitle: translate(lang, 'map.zoomOut') });
}
