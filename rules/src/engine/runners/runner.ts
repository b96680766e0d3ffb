import type { AlertTransition } from '../../domain/alert.ts';
import type { EventContext } from '../context.ts';

/** One rule's evaluator and state. The engine calls it with events in event-time order. */
export interface Runner {
  /** An accepted event (time order); `now` is the engine's watermark. */
  onEvent(e: EventContext, now: number): AlertTransition[] | undefined;
  /**
   * An accepted event as it arrives, before the allowed lateness has passed (rules that fire
   * early only); `released`: the engine's watermark, events at or before which it has
   * evaluated in order. The same event comes to `onEvent` later, in order. `remember`: only
   * note it as arrived (the engine restoring its buffer, or a new version of the rule taking
   * it over): no firing.
   */
  onArrival?(e: EventContext, released: number, remember?: boolean): AlertTransition[] | undefined;
  /** A new version of the rule takes over the alerts the one it replaces fired early (see `onArrival`). */
  adoptEarly?(from: Runner): void;
  /** Time moved to `now` without an event: windows slide, silences are noticed. */
  onTime(now: number): AlertTransition[] | undefined;
  /**
   * A time before which `onTime` surely does nothing, the state being as it is now (until the
   * next `onEvent`); absent: the engine always calls `onTime`. Lets a sweep pass over idle rules.
   */
  nextDue?(): number;
  /** Keys held in memory. */
  openKeys(): number;
  /** Whether the alert of `key` is open in this state (fired, in order or early, and not resolved); absent: the runner cannot say. */
  holds?(key: string): boolean;
  /** Absence rules: takes on a silence an alert holds since `since` (ms), older than the events its state is rebuilt from. */
  adoptSilence?(key: string, since: number): void;
  snapshot(): unknown;
  restore(state: unknown): void;
}

/** Plain-data snapshot of a Map. */
export const mapToObject = <V>(m: Map<string, V>): Record<string, V> => Object.fromEntries(m);
export const objectToMap = <V>(o: unknown): Map<string, V> => new Map(Object.entries((o ?? {}) as Record<string, V>));
