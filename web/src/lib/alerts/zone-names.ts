import type { Alert, Zone } from '@vigie/rules';

export type ZoneNames = ReadonlyMap<string, string>;

export const indexZoneNames = (zones: readonly Zone[]): ZoneNames => new Map(zones.map((z) => [z.id, z.name]));

/** The names of the zones an alert falls in (an unknown zone shows its id). */
export const zoneNamesOf = (alert: Alert, names: ZoneNames): string[] => alert.zones.map((id) => names.get(id) ?? id);
