import type { Alert, AlertHistoryEntry } from '@vigie/rules';
import { translate, type Lang } from '../i18n/translate.ts';
import { personName, type People } from './people.ts';

/** A changed field, its value before and after: `—` for no assignee; the count as a number (written as the language writes numbers). */
export type FieldChange =
  | { field: 'status' | 'assignee' | 'severity'; from: string; to: string }
  | { field: 'count'; from: number; to: number };

/** What someone else changed between the version an operator saw and the current one. */
export type AlertDiff = { fromVersion: number; toVersion: number; changes: FieldChange[]; entries: AlertHistoryEntry[] };

const NONE = '—';

export function diffAlert(seen: Alert, current: Alert): AlertDiff {
  const changes: FieldChange[] = [];
  const field = (f: 'status' | 'assignee' | 'severity', a: string | null, b: string | null) => {
    if (a !== b) changes.push({ field: f, from: a ?? NONE, to: b ?? NONE });
  };
  field('status', seen.status, current.status);
  field('assignee', seen.assignee, current.assignee);
  field('severity', seen.severity, current.severity);
  if (seen.count !== current.count) changes.push({ field: 'count', from: seen.count, to: current.count });
  // History is append-only (capped): what follows the last entry the operator saw is new.
  const last = seen.history.at(-1);
  const from = last ? current.history.findIndex((h) => h.at === last.at && h.action === last.action && h.by === last.by) + 1 : 0;
  return { fromVersion: seen.version, toVersion: current.version, changes, entries: current.history.slice(from) };
}

/** A change as the alert's detail reads it: states and severities in `lang`, assignees by display name, counts as numbers. */
export function changeText(change: FieldChange, lang: Lang, people: People): string {
  const value = (v: string | number): string | number => {
    if (typeof v === 'number' || v === NONE) return v;
    if (change.field === 'status') return translate(lang, `status.${v as Alert['status']}`);
    if (change.field === 'severity') return translate(lang, `severity.${v as Alert['severity']}`);
    return personName(v, people);
  };
  return translate(lang, `action.changed.${change.field}`, { from: value(change.from), to: value(change.to) });
}
