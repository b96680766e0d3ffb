import type { Alert } from '@vigie/rules';
import { markerRadius, severityRankOf, SEVERITY_COLORS } from '../alerts/severity.ts';
import type { Leaflet, LeafletModule } from './leaflet.ts';
import { reconcile } from './reconcile.ts';

type Located = Alert & { location: NonNullable<Alert['location']> };

const hasLocation = (alert: Alert): alert is Located => alert.location !== null;

/** Active alerts as circles coloured and sized by severity, kept by id and updated in place. */
export class AlertsLayer {
  readonly group: Leaflet.LayerGroup;
  readonly #markers = new Map<string, Leaflet.CircleMarker>();

  constructor(
    private readonly L: LeafletModule,
    private readonly onSelect: (id: string) => void,
  ) {
    this.group = L.layerGroup();
  }

  get size(): number {
    return this.#markers.size;
  }

  update(alerts: readonly Alert[], selectedId: string | null): void {
    const style = (alert: Located): Leaflet.CircleMarkerOptions => {
      const selected = alert.id === selectedId;
      return {
        radius: markerRadius(alert.severity),
        color: selected ? '#ffffff' : '#0b0f14',
        weight: selected ? 3 : 1.5,
        fillColor: SEVERITY_COLORS[alert.severity],
        fillOpacity: alert.status === 'acknowledged' ? 0.55 : 0.9,
      };
    };
    // New markers are drawn least severe first, so the most severe end up on top.
    const located = alerts.filter(hasLocation).sort((a, b) => severityRankOf(a.severity) - severityRankOf(b.severity));
    reconcile(
      this.#markers,
      located.map((alert) => [alert.id, alert] as const),
      {
        create: (alert) =>
          this.L.circleMarker([alert.location.lat, alert.location.lon], style(alert))
            .bindTooltip(alert.title, { direction: 'top', className: 'alert-tooltip' })
            .on('click', () => this.onSelect(alert.id))
            .addTo(this.group),
        update: (marker, alert) => {
          marker.setLatLng([alert.location.lat, alert.location.lon]).setStyle(style(alert));
          marker.setTooltipContent(alert.title);
          if (alert.id === selectedId) marker.bringToFront();
        },
        remove: (marker) => {
          this.group.removeLayer(marker);
        },
      },
    );
  }
}
