import type { Alert, AlertMessage } from '@vigie/rules';
import { isActive, isNewer } from '../alerts/store-logic.ts';
import { severityRankOf } from '../alerts/severity.ts';

/** A wall keeps at most this many alerts: the most severe, then the most recent. */
export const MAX_WALL_ALERTS = 500;

/**
 * The active alerts a wall shows. Bounded: a closed alert is dropped at once and the store
 * never holds more than `max`, so hours of traffic do not make it grow.
 */
export class WallAlerts {
  readonly byId = new Map<string, Alert>();
  /** Versions of alerts dropped as closed, so a late older message cannot bring them back (bounded too). */
  readonly #closed = new Map<string, number>();
  lastSeq = 0;

  constructor(private readonly max = MAX_WALL_ALERTS) {}

  /** Applies live or replayed messages; returns whether anything shown changed. */
  apply(messages: readonly AlertMessage[], lastSeq?: number): boolean {
    let changed = false;
    for (const m of messages) {
      if (m.seq > this.lastSeq) this.lastSeq = m.seq;
      const closedAt = this.#closed.get(m.alert.id);
      if (closedAt !== undefined && closedAt >= m.version) continue;
      if (!isNewer(this.byId.get(m.alert.id), m.version)) continue;
      if (isActive(m.alert)) {
        this.byId.set(m.alert.id, m.alert);
      } else {
        this.byId.delete(m.alert.id);
        this.#remember(m.alert.id, m.version);
      }
      changed = true;
    }
    if (lastSeq !== undefined && lastSeq > this.lastSeq) this.lastSeq = lastSeq;
    if (this.byId.size > this.max) {
      const keep = [...this.byId.values()].sort(byImportance).slice(0, this.max);
      this.byId.clear();
      for (const a of keep) this.byId.set(a.id, a);
      changed = true;
    }
    return changed;
  }

  /** Replaces everything with a snapshot read over HTTP (its `lastSeq` says up to where it is complete). */
  reset(alerts: readonly Alert[], lastSeq: number): void {
    this.byId.clear();
    this.#closed.clear();
    this.lastSeq = 0;
    this.apply(alerts.map((alert) => ({ seq: alert.seq, version: alert.version, alert })), lastSeq);
  }

  get size(): number {
    return this.byId.size;
  }

  #remember(id: string, version: number): void {
    this.#closed.set(id, version);
    if (this.#closed.size > this.max) this.#closed.delete(this.#closed.keys().next().value!);
  }
}

/** Most severe first, then the most recent activity. */
export function byImportance(a: Alert, b: Alert): number {
  return severityRankOf(b.severity) - severityRankOf(a.severity) || Date.parse(b.lastAt) - Date.parse(a.lastAt) || (a.id < b.id ? -1 : 1);
}
