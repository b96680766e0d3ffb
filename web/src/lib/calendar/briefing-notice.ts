import type { BriefingReport } from '@vigie/rules';

/**
 * What a briefing must say before its figures: `no-history` when it has neither a usual
 * activity (no week of stored events) nor a comparable past event, so nothing to estimate from
 * (its zeros would read as "no officer needed": they are not shown); `no-usual` when only the
 * comparable events' surge is known; nothing otherwise (servers before `historyWeeks`: nothing).
 */
export function briefingNotice(report: Pick<BriefingReport, 'historyWeeks' | 'briefing'>): 'no-history' | 'no-usual' | null {
  if (report.historyWeeks !== 0) return null;
  return report.briefing.comparables.length === 0 ? 'no-history' : 'no-usual';
}
