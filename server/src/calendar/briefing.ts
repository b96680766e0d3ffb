import type { Briefing, BriefingSectorHour, CalendarKind, Location } from '@vigie/rules';

/**
 * Planning ratios behind the recommended plan. They are the numbers a supervisor reads on the
 * briefing, so they are data, not buried constants.
 */
export const PLAN_RATIOS = {
  /** A past event is comparable when its attendance is within this factor of the target's. */
  attendanceFactor: 2,
  /** Incidents one patrol pair can take in an hour. */
  incidentsPerPairHour: 2,
  /** Agents in a patrol pair. */
  agentsPerPair: 2,
  /** People one barrier section channels during the arrival or departure. */
  peoplePerBarrier: 1000,
} as const;

/** What the briefing needs of an event (the upcoming one, and each past one). */
export type BriefingEvent = { id: string; kind: CalendarKind; venue: string; expectedAttendance: number; startsAt: string; hours: number };

/** Incidents seen during a past event: per hour slot (0 = first hour of its window) and sector. */
export type PastEvent = BriefingEvent & { incidents: { slot: number; sector: string }[] };

/** An entry to the venue: a transport stop or a gate, with the share of the crowd that uses it. */
export type AccessPoint = { id: string; name: string; location: Location; share: number };

export type BriefingInput = {
  target: BriefingEvent;
  history: readonly PastEvent[];
  /** Usual incidents per hour in each sector at those hours of the week, slot by slot (no event). */
  usual: Readonly<Record<string, readonly number[]>>;
  accessPoints: readonly AccessPoint[];
};

export type SectorHour = BriefingSectorHour;
export type { Briefing };

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Past events of the same venue or kind, with an attendance within the factor. */
export function comparableEvents(target: BriefingEvent, history: readonly PastEvent[]): PastEvent[] {
  const f = PLAN_RATIOS.attendanceFactor;
  return history.filter((p) =>
    p.id !== target.id && (p.venue === target.venue || p.kind === target.kind) && p.expectedAttendance > 0 &&
    p.expectedAttendance * f >= target.expectedAttendance && p.expectedAttendance <= target.expectedAttendance * f);
}

/**
 * The briefing for an upcoming event: for each hour slot and sector, the usual incidents plus
 * the mean extra incidents comparable past events brought (each scaled by attendance ratio),
 * the patrol pairs that covers, and barrier sections at each access point for its share of
 * the crowd. Pure: the same input gives the same briefing.
 */
export function computeBriefing(input: BriefingInput): Briefing {
  const { target, history, usual } = input;
  const comparables = comparableEvents(target, history);
  const sectorIds = new Set<string>(Object.keys(usual));
  for (const c of comparables) for (const i of c.incidents) sectorIds.add(i.sector);
  const usualAt = (sector: string, slot: number) => usual[sector]?.[slot] ?? 0;

  const sectors: SectorHour[] = [];
  for (let slot = 0; slot < target.hours; slot++) {
    for (const sector of [...sectorIds].sort()) {
      let extraSum = 0;
      for (const c of comparables) {
        const seen = c.incidents.filter((i) => i.slot === slot && i.sector === sector).length;
        extraSum += Math.max(0, seen - usualAt(sector, slot)) * (target.expectedAttendance / c.expectedAttendance);
      }
      const extra = comparables.length ? extraSum / comparables.length : 0;
      const expected = usualAt(sector, slot) + extra;
      if (expected <= 0) continue;
      const pairs = Math.ceil(round2(expected) / PLAN_RATIOS.incidentsPerPairHour);
      sectors.push({ slot, sector, usual: round2(usualAt(sector, slot)), extra: round2(extra), expected: round2(expected), agents: pairs * PLAN_RATIOS.agentsPerPair });
    }
  }
  const perHour = Array.from({ length: target.hours }, (_, slot) => {
    const rows = sectors.filter((s) => s.slot === slot);
    return { slot, expected: round2(rows.reduce((a, s) => a + s.expected, 0)), agents: rows.reduce((a, s) => a + s.agents, 0) };
  });
  const totals = new Map<string, number>();
  for (const s of sectors) totals.set(s.sector, (totals.get(s.sector) ?? 0) + s.expected);
  const where = [...totals].map(([sector, expected]) => ({ sector, expected: round2(expected) }))
    .sort((a, b) => b.expected - a.expected || (a.sector < b.sector ? -1 : 1));
  const shareSum = input.accessPoints.reduce((a, p) => a + Math.max(0, p.share), 0) || 1;
  const barriers = input.accessPoints.map((p) => {
    const people = Math.round((target.expectedAttendance * Math.max(0, p.share)) / shareSum);
    return { accessPoint: p.id, name: p.name, people, barriers: Math.ceil(people / PLAN_RATIOS.peoplePerBarrier) };
  }).sort((a, b) => b.people - a.people || (a.accessPoint < b.accessPoint ? -1 : 1));
  return {
    comparables: comparables.map((c) => ({
      id: c.id, venue: c.venue, kind: c.kind, expectedAttendance: c.expectedAttendance, startsAt: c.startsAt,
      sameVenue: c.venue === target.venue, scale: round2(target.expectedAttendance / c.expectedAttendance), incidents: c.incidents.length,
    })),
    perHour, sectors, where, barriers, ratios: PLAN_RATIOS,
  };
}
