import { distanceMeters, type Alert } from '@vigie/rules';

export type Related = { alert: Alert; meters: number };

/** Other known alerts within `radiusM` of `alert`, nearest first (none when it has no location). */
export function relatedNearby(alert: Alert, others: Iterable<Alert>, radiusM = 500, max = 8): Related[] {
  const at = alert.location;
  if (!at) return [];
  const out: Related[] = [];
  for (const o of others) {
    if (o.id === alert.id || !o.location) continue;
    const meters = distanceMeters(at, o.location);
    if (meters <= radiusM) out.push({ alert: o, meters: Math.round(meters) });
  }
  return out.sort((a, b) => a.meters - b.meters).slice(0, max);
}
