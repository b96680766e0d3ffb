import type { Zone } from '@vigie/rules';

/** The kind of the temporary zones a CAP warning's areas become (server: feeds/cap/temporary-zones.ts). */
export const WARNING_KIND = 'warning';

export const isWarning = (zone: Zone): boolean => zone.kind === WARNING_KIND;

/** A warning in force: its name, when it ends (null: not said), the ids of its areas. */
export type ActiveWarning = { name: string; until: number | null; zoneIds: string[] };

/** A warning's area as the console's zones and the wall's state give it. */
export type WarningArea = { id: string; name: string; expiresAt?: string | null };

/** The warnings in force at `now` among the city's zones (see `warningsInForce`). */
export const activeWarnings = (zones: readonly Zone[], now: number): ActiveWarning[] => warningsInForce(zones.filter(isWarning), now);

/**
 * The warnings in force at `now`, one per name (a warning drawn as several areas is one),
 * the soonest to end first. An area past its end is left out even before the server purges it.
 */
export function warningsInForce(areas: readonly WarningArea[], now: number): ActiveWarning[] {
  const byName = new Map<string, ActiveWarning>();
  for (const z of areas) {
    const until = z.expiresAt ? Date.parse(z.expiresAt) : NaN;
    if (!Number.isNaN(until) && until <= now) continue;
    const w = byName.get(z.name);
    const end = Number.isNaN(until) ? null : until;
    if (!w) byName.set(z.name, { name: z.name, until: end, zoneIds: [z.id] });
    else {
      w.zoneIds.push(z.id);
      if (end !== null && (w.until === null || end > w.until)) w.until = end;
    }
  }
  return [...byName.values()].sort((a, b) => (a.until ?? Infinity) - (b.until ?? Infinity) || a.name.localeCompare(b.name));
}

/** A line of the wall's warning banner: an event's name, the areas it covers, when it ends. */
export type WarningLine = { name: string; until: number | null };

/**
 * The wall's banner lines: the warnings of one event ending at one time are one line naming
 * their areas ("Vigilance orange orages · Marseille centre, Vélodrome"), so that a warning
 * drawn over several areas does not push the wall's figures off the screen. A CAP area's
 * name is its event's, then " · ", then the area's (server: feeds/cap/cap-in.ts).
 */
export function warningLines(warnings: readonly ActiveWarning[]): WarningLine[] {
  const lines = new Map<string, { event: string; areas: string[]; until: number | null }>();
  for (const w of warnings) {
    const cut = w.name.indexOf(' · ');
    const event = cut === -1 ? w.name : w.name.slice(0, cut);
    const key = `${event}\n${w.until}`;
    let line = lines.get(key);
    if (!line) lines.set(key, (line = { event, areas: [], until: w.until }));
    if (cut !== -1) line.areas.push(w.name.slice(cut + 3));
  }
  return [...lines.values()].map((l) => ({ name: l.areas.length ? `${l.event} · ${l.areas.join(', ')}` : l.event, until: l.until }));
}
