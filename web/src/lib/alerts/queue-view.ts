import type { Alert, AlertStatus, Severity } from '@vigie/rules';
import { alertRef } from './alert-ref.ts';
import { alertTitles } from './alert-text.ts';
import { severityRankOf } from './severity.ts';
import { zoneNamesOf, type ZoneNames } from './zone-names.ts';

/** What the operator narrowed the queue to. Empty lists and nulls mean "any". */
export type QueueFilter = {
  statuses: AlertStatus[];
  severities: Severity[];
  zone: string | null;
  rule: string | null;
  source: string | null;
  search: string;
  /** Silenced alerts are stored but kept out of the queue unless asked for. */
  showSilenced: boolean;
};

export const GROUPINGS = ['none', 'rule', 'zone'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const EMPTY_FILTER: QueueFilter = { statuses: [], severities: [], zone: null, rule: null, source: null, search: '', showSilenced: false };

export const isSilenced = (a: Alert): boolean => Boolean(a.silencedBy);

/** The sources behind an alert (from its evidence). */
export const sourcesOf = (a: Alert): string[] => [...new Set(a.evidence.map((e) => e.source))];

const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();

/** Whether `alert` passes `filter` (the search looks in the title, rule, zones, key, assignee and short reference). */
export function matchesFilter(alert: Alert, filter: QueueFilter, zoneNames: ZoneNames): boolean {
  if (!filter.showSilenced && isSilenced(alert)) return false;
  if (filter.statuses.length && !filter.statuses.includes(alert.status)) return false;
  if (filter.severities.length && !filter.severities.includes(alert.severity)) return false;
  if (filter.zone && !alert.zones.includes(filter.zone)) return false;
  if (filter.rule && alert.ruleId !== filter.rule) return false;
  if (filter.source && !sourcesOf(alert).includes(filter.source)) return false;
  const words = fold(filter.search).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const haystack = fold([...alertTitles(alert), alert.ruleId, alert.key, alert.assignee ?? '', alertRef(alert.id), ...zoneNamesOf(alert, zoneNames)].join(' '));
  return words.every((w) => haystack.includes(w));
}

export type QueueGroup = { key: string; label: string; alerts: Alert[] };

/**
 * Groups the (already sorted) queue by rule or zone; groups are ordered by their most
 * severe alert, then by size. An alert in several zones appears under each of them.
 */
export function groupQueue(alerts: readonly Alert[], by: Grouping, zoneNames: ZoneNames, noZone: string): QueueGroup[] {
  if (by === 'none') return [{ key: '', label: '', alerts: [...alerts] }];
  const groups = new Map<string, QueueGroup>();
  const put = (key: string, label: string, a: Alert) => {
    const g = groups.get(key) ?? { key, label, alerts: [] };
    g.alerts.push(a);
    groups.set(key, g);
  };
  for (const a of alerts) {
    if (by === 'rule') put(a.ruleId, a.ruleId, a);
    else if (a.zones.length === 0) put('', noZone, a);
    else for (const z of a.zones) put(z, zoneNames.get(z) ?? z, a);
  }
  const worst = (g: QueueGroup) => Math.max(...g.alerts.map((a) => severityRankOf(a.severity)));
  return [...groups.values()].sort((x, y) => worst(y) - worst(x) || y.alerts.length - x.alerts.length || x.label.localeCompare(y.label));
}

/** The values the filter menus offer, from the alerts at hand. */
export function filterChoices(alerts: readonly Alert[]): { rules: string[]; zones: string[]; sources: string[] } {
  const rules = new Set<string>();
  const zones = new Set<string>();
  const sources = new Set<string>();
  for (const a of alerts) {
    rules.add(a.ruleId);
    for (const z of a.zones) zones.add(z);
    for (const s of sourcesOf(a)) sources.add(s);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return { rules: sorted(rules), zones: sorted(zones), sources: sorted(sources) };
}
