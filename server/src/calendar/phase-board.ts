import type { CalendarEntry, CalendarEvent, EventPhase } from '@vigie/rules';
import type { Logger } from '../logger.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listCalendarEvents } from './calendar-repo.ts';
import { phaseAt, phaseChanges, phaseSpans } from './phases.ts';

const HOUR = 3_600_000;
/** How far around now the board keeps events (live ones and the next day's). */
const LOOK_BEHIND_MS = 24 * HOUR;
const LOOK_AHEAD_MS = 48 * HOUR;

export type PhaseChange = { id: string; title: string; from: EventPhase | null; to: EventPhase; at: string };

/**
 * The major events around now and the phase each one is in, as last switched by the cron
 * job (`refresh`). The wall's event view and the engine's calendar follow it. Bounded: it
 * holds only the events of a few days around now.
 */
export class PhaseBoard {
  #events: CalendarEvent[] = [];
  #phases = new Map<string, EventPhase>();
  #signature = '';
  readonly #listeners: ((changes: PhaseChange[], board: PhaseBoard) => void)[] = [];

  constructor(private readonly db: SqlClient, private readonly log: Logger) {}

  /** Called after every refresh that changed a phase or an event (times, new, deleted). */
  onChange(fn: (changes: PhaseChange[], board: PhaseBoard) => void): void {
    this.#listeners.push(fn);
  }

  /** Reloads the events around `now` and switches their phases; returns what changed. */
  async refresh(now: Date): Promise<PhaseChange[]> {
    const t = now.getTime();
    const events = await listCalendarEvents(this.db, new Date(t - LOOK_BEHIND_MS).toISOString(), new Date(t + LOOK_AHEAD_MS).toISOString());
    const next = new Map(events.map((e) => [e.id, phaseAt(e, t)] as const));
    const byId = new Map(events.map((e) => [e.id, e]));
    const changes: PhaseChange[] = phaseChanges(this.#phases, next)
      .map((c) => ({ ...c, title: byId.get(c.id)!.title, at: now.toISOString() }));
    // An event leaving the window (deleted, or long over) ends; one already over just goes.
    for (const [id, from] of this.#phases) {
      if (!next.has(id) && from !== 'after') changes.push({ id, title: '', from, to: 'after', at: now.toISOString() });
    }
    const signature = events.map((e) => `${e.id}@${e.updatedAt}`).join(',');
    const edited = signature !== this.#signature;
    this.#events = events;
    this.#phases = next;
    this.#signature = signature;
    for (const c of changes) if (c.from !== null || c.to !== 'before') this.log.info('major event phase', { ...c });
    if (changes.length || edited) for (const fn of this.#listeners) fn(changes, this);
    return changes;
  }

  phaseOf(id: string): EventPhase | undefined {
    return this.#phases.get(id);
  }

  /** Events in their arrival, during or departure phase, earliest first. */
  live(): { event: CalendarEvent; phase: EventPhase }[] {
    return this.#events
      .map((event) => ({ event, phase: this.#phases.get(event.id) ?? 'before' }))
      .filter((x) => x.phase !== 'before' && x.phase !== 'after');
  }

  /** Events not started yet, earliest first. */
  upcoming(): CalendarEvent[] {
    return this.#events.filter((e) => this.#phases.get(e.id) === 'before');
  }

  /** The events as the rules engine's calendar wants them. */
  engineCalendar(): CalendarEntry[] {
    return this.#events.map((e) => ({
      id: e.id, kind: e.kind, start: Date.parse(e.startsAt), end: Date.parse(e.endsAt),
      phases: Object.fromEntries(phaseSpans(e).map((s) => [s.phase, [Date.parse(s.from), Date.parse(s.to)]])),
    }));
  }
}
