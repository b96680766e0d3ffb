import type { Alert, AlertMessage, AlertStatus } from '@vigie/rules';
import { severityRankOf } from './severity.ts';

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

/**
 * Active alerts in the queue's order: the most severe first (critical, high, medium, low,
 * info); within a severity, the escalated ones first (left unacknowledged past their due
 * time), then by when the alert was raised, newest first, then by id.
 *
 * Only what changes an alert's standing moves it: a repeat (count, evidence, `lastAt`), a
 * comment, an assignment or an acknowledgement leave it where it is, so the row under the
 * operator's cursor stays put (sorting by latest activity made noisy alerts jump to the top
 * and buried critical ones). An escalation raises the severity, and moves it with it.
 */
export function activeQueue(alerts: Iterable<Alert>): Alert[] {
  return [...alerts].filter(isActive).sort(compareForQueue);
}

/** An ISO time in ms; 0 when unreadable. */
export const instant = (iso: string): number => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
};

export const isEscalated = (alert: Alert): boolean => (alert.escalations ?? 0) > 0;

export function compareForQueue(a: Alert, b: Alert): number {
  return (
    severityRankOf(b.severity) - severityRankOf(a.severity) ||
    Number(isEscalated(b)) - Number(isEscalated(a)) ||
    instant(b.createdAt) - instant(a.createdAt) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
