import type { Alert } from '@vigie/rules';
import { SEVERITY_COLORS } from '../alerts/severity.ts';
import { formatDateTime } from '../format/time.ts';
import type { Lang } from '../i18n/translate.ts';
import { locatedEvidence } from './focus.ts';
import type { Leaflet, LeafletModule } from './leaflet.ts';

/** The selected alert's evidence events, as small markers joined to the alert's location (times on the clock of `timeZone`). */
export function createEvidenceLayer(L: LeafletModule, alert: Alert, lang: Lang, timeZone: string): Leaflet.LayerGroup {
  const group = L.layerGroup();
  const color = SEVERITY_COLORS[alert.severity];
  for (const evidence of locatedEvidence(alert)) {
    const at: Leaflet.LatLngTuple = [evidence.location.lat, evidence.location.lon];
    if (alert.location) {
      L.polyline([[alert.location.lat, alert.location.lon], at], {
        color,
        weight: 2,
        opacity: 0.8,
        dashArray: '4 4',
        interactive: false,
      }).addTo(group);
    }
    L.circleMarker(at, { radius: 5, color, weight: 2, fillColor: '#0b0f14', fillOpacity: 1 })
      .bindTooltip(`${evidence.type} · ${evidence.source} · ${formatDateTime(evidence.time, lang, timeZone)}`, {
        direction: 'top',
      })
      .addTo(group);
  }
  return group;
}
