import type { WallBootstrap, WallMajorEvent, WallView } from '@vigie/rules';

/** A view ready to draw: the zone or the event it shows is resolved. */
export type ResolvedView =
  | { kind: 'city' }
  | { kind: 'district'; zone: WallBootstrap['zones'][number] }
  | { kind: 'event'; event: WallMajorEvent }
  | { kind: 'transport' };

/**
 * The screen's views that can be shown now: a district whose zone is unknown and an event
 * view with no major event are skipped; with nothing left, the city. An event view shows the
 * first live event, else the next one.
 */
export function resolveViews(views: readonly WallView[], zones: WallBootstrap['zones'], events: readonly WallMajorEvent[]): ResolvedView[] {
  const out: ResolvedView[] = [];
  for (const v of views) {
    if (v.kind === 'district') {
      const zone = zones.find((z) => z.id === v.zoneId);
      if (zone) out.push({ kind: 'district', zone });
    } else if (v.kind === 'event') {
      const event = events.find((e) => e.phase !== 'before') ?? events[0];
      if (event) out.push({ kind: 'event', event });
    } else out.push(v);
  }
  return out.length ? out : [{ kind: 'city' }];
}

/** Which of `count` views shows `elapsedMs` after the cycle started, each shown `dwellMs`. */
export function viewIndexAt(count: number, elapsedMs: number, dwellMs: number): number {
  if (count <= 0 || dwellMs <= 0 || !Number.isFinite(elapsedMs) || elapsedMs < 0) return 0;
  return Math.floor(elapsedMs / dwellMs) % count;
}

/** A stable key of a resolved view (the map reframes only when it changes). */
export function viewKey(v: ResolvedView): string {
  switch (v.kind) {
    case 'district': return `district:${v.zone.id}`;
    case 'event': return `event:${v.event.id}:${v.event.phase}`;
    default: return v.kind;
  }
}
