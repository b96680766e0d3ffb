import type { Alert, AlertMessage } from '@vigie/rules';
import { SvelteMap } from 'svelte/reactivity';
import { activeQueue, applyLive, applySnapshot, createIndex, type AlertIndex } from './store-logic.ts';

/** The alerts the console knows, reactive; all merging goes through `store-logic`. */
export class AlertStore {
  readonly #index: AlertIndex = createIndex(new SvelteMap<string, Alert>());

  /** Open and acknowledged alerts, the most severe first, then newest raised (see `activeQueue`). */
  readonly queue: Alert[] = $derived(activeQueue(this.#index.byId.values()));

  /** The highest live `seq` applied: what to ask `sync` for after a reconnection. */
  get lastSeq(): number {
    return this.#index.lastSeq;
  }

  get(id: string): Alert | undefined {
    return this.#index.byId.get(id);
  }

  /** Messages pushed live or replayed by `sync`. */
  applyLive(messages: readonly AlertMessage[], lastSeq?: number): string[] {
    return applyLive(this.#index, messages, lastSeq);
  }

  /** Alerts read over HTTP (the initial list, an action's answer, a conflict's current version). */
  applySnapshot(alerts: readonly Alert[], lastSeq?: number): string[] {
    return applySnapshot(this.#index, alerts, lastSeq);
  }
}
