import { z } from 'zod';
import type { Severity } from './alert.ts';
import type { CalendarKind, EventPhase, PhaseSpan } from './calendar.ts';
import type { Location } from './event.ts';
import type { FeedHealth } from './live.ts';
import type { Zone } from './zone.ts';

/** One view of a wall's cycle. `event` shows the live (or next) major event's perimeter; skipped when there is none. */
/** One view of a wall; a member its kind does not take (a zoneId on the city view) is refused, not dropped unsaid. */
export const WallView = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('city') }),
  z.strictObject({ kind: z.literal('district'), zoneId: z.string().min(1).max(100) }),
  z.strictObject({ kind: z.literal('event') }),
  z.strictObject({ kind: z.literal('transport') }),
]);
export type WallView = z.infer<typeof WallView>;

/** What one wall screen shows: its views in turn, each for `dwellSeconds`. */
export const ScreenConfig = z.strictObject({
  views: z.array(WallView).min(1).max(12),
  dwellSeconds: z.number().int().min(5).max(3600).default(30),
  lang: z.enum(['fr', 'en']).default('fr'),
});
export type ScreenConfig = z.infer<typeof ScreenConfig>;

/** The key figures of a wall. */
export type WallFigures = {
  openBySeverity: Record<Severity, number>;
  feeds: { source: string; status: FeedHealth['status'] }[];
  /** Incidents in the last hour, and the mean of the same hour of the week over `weeks` weeks. */
  /** `historyWeeks`: how many of the `weeks` the store holds events for (0: no history yet, `usual` means nothing). */
  incidents: { lastHour: number; usual: number; weeks: number; historyWeeks?: number };
};

/** A major event as a wall shows it (public facts only). */
export type WallMajorEvent = {
  id: string; title: string; kind: CalendarKind; venue: string; location: Location;
  perimeter: Extract<Zone['geometry'], { type: 'Polygon' }>; startsAt: string; endsAt: string; expectedAttendance: number;
  phase: EventPhase; spans: PhaseSpan[];
};

/** What a wall loads once (and again after a reconnection). */
export type WallBootstrap = {
  city: { name: string; center: [number, number]; zoom: number };
  tileUrl: string; tileAttribution: string; timeZone: string;
  screen: ScreenConfig;
  zones: Pick<Zone, 'id' | 'name' | 'kind' | 'geometry'>[];
  lines: { id: string; name: string; path: [number, number][] }[];
};

/** A warning in force (a CAP message's area), as a wall shows it. */
export type WallWarning = { id: string; name: string; expiresAt: string | null; geometry: Zone['geometry'] };

/** What a wall polls: the key figures, the major events (live first, then the next ones), the warnings in force (soonest to end first). */
export type WallState = {
  now: string; figures: WallFigures; events: WallMajorEvent[]; warnings: WallWarning[];
  /** Per district view of the screen (by zone id): its own open alerts and incidents (the feeds are the city's). */
  districts?: Record<string, Pick<WallFigures, 'openBySeverity' | 'incidents'>>;
  /** Per major event of `events` (by its id): the open alerts and incidents inside its perimeter (the feeds are the city's). */
  perimeters?: Record<string, Pick<WallFigures, 'openBySeverity' | 'incidents'>>;
};
