import type { Alert, AlertMessage, AlertStatus } from '@vigie/rules';

/** The alerts a client knows, one entry per id, and the last live `seq` it applied. */
export type AlertIndex = {
  /** Mutable map so a reactive map (Svelte's `SvelteMap`) can be passed in. */
  readonly byId: Map<string, Alert>;
  lastSeq: number;
};

export const ACTIVE_STATUSES: readonly AlertStatus[] = ['open', 'acknowledged'];

export const isActive = (alert: Alert): boolean => ACTIVE_STATUSES.includes(alert.status);

export function createIndex(byId: Map<string, Alert> = new Map(), lastSeq = 0): AlertIndex {
  return { byId, lastSeq };
}

/** An incoming version replaces the known one only when it is strictly newer. */
export function isNewer(known: Alert | undefined, incomingVersion: number): boolean {
  return known === undefined || incomingVersion > known.version;
}

/** An alert read over HTTP, wrapped as a message (it carries its own version and seq). */
export const asMessage = (alert: Alert): AlertMessage => ({ seq: alert.seq, version: alert.version, alert });

/**
 * Merge one alert version. Returns whether the index changed. Never goes back to an older
 * version, so the same message twice, or messages out of order, change nothing.
 */
export function mergeAlert(index: AlertIndex, message: AlertMessage): boolean {
  if (!isNewer(index.byId.get(message.alert.id), message.version)) return false;
  index.byId.set(message.alert.id, message.alert);
  return true;
}

/**
 * Apply live messages (pushed or replayed by `sync`): merge each one and move `lastSeq`
 * to the highest seq seen. Returns the ids whose alert changed.
 */
export function applyLive(index: AlertIndex, messages: readonly AlertMessage[], lastSeq?: number): string[] {
  const changed: string[] = [];
  for (const message of messages) {
    if (mergeAlert(index, message)) changed.push(message.alert.id);
    if (message.seq > index.lastSeq) index.lastSeq = message.seq;
  }
  if (lastSeq !== undefined && lastSeq > index.lastSeq) index.lastSeq = lastSeq;
  return changed;
}

/**
 * Apply alerts read over HTTP (a list, an action's answer, a conflict's current version).
 * `lastSeq` moves only when the answer says up to where it is complete (the list's
 * `lastSeq`): a single alert's seq says nothing about the others, and taking it would
 * skip messages still to be replayed after a reconnection.
 */
export function applySnapshot(index: AlertIndex, alerts: readonly Alert[], lastSeq?: number): string[] {
  const changed = alerts.filter((alert) => mergeAlert(index, asMessage(alert))).map((a) => a.id);
  if (lastSeq !== undefined && lastSeq > index.lastSeq) index.lastSeq = lastSeq;
  return changed;
}

/** Active alerts, newest activity first (ties: newest created, then id, so the order is stable). */
export function activeQueue(alerts: Iterable<Alert>): Alert[] {
  return [...alerts].filter(isActive).sort(compareByRecency);
}

export function compareByRecency(a: Alert, b: Alert): number {
  return (
    Date.parse(b.lastAt) - Date.parse(a.lastAt) ||
    Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
