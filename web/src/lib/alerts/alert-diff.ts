import type { Alert, AlertHistoryEntry } from '@vigie/rules';

export type FieldChange = { field: 'status' | 'assignee' | 'severity' | 'count'; from: string; to: string };

/** What someone else changed between the version an operator saw and the current one. */
export type AlertDiff = { fromVersion: number; toVersion: number; changes: FieldChange[]; entries: AlertHistoryEntry[] };

export function diffAlert(seen: Alert, current: Alert): AlertDiff {
  const changes: FieldChange[] = [];
  const field = (f: FieldChange['field'], a: unknown, b: unknown) => {
    if (a !== b) changes.push({ field: f, from: String(a ?? '—'), to: String(b ?? '—') });
  };
  field('status', seen.status, current.status);
  field('assignee', seen.assignee, current.assignee);
  field('severity', seen.severity, current.severity);
  field('count', seen.count, current.count);
  // History is append-only (capped): what follows the last entry the operator saw is new.
  const last = seen.history.at(-1);
  const from = last ? current.history.findIndex((h) => h.at === last.at && h.action === last.action && h.by === last.by) + 1 : 0;
  return { fromVersion: seen.version, toVersion: current.version, changes, entries: current.history.slice(from) };
}
