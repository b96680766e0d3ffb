import { cityInputInstant } from '../format/time.ts';
import type { MessageKey } from '../i18n/translate.ts';

/** The periods a supervisor backtests over: the last day, week or month, or one chosen on the city's clock. */
export const PERIODS = { '24h': 1, '7d': 7, '30d': 30 } as const;
export type Period = keyof typeof PERIODS | 'custom';

/** The longest period the server backtests (MAX_BACKTEST_DAYS in server/src/http/backtest-route.ts). */
export const MAX_DAYS = 31;

/** The period ending at `now` (ISO strings, as the backtest API takes them). */
export function periodRange(period: keyof typeof PERIODS, now: Date): { from: string; to: string } {
  return { from: new Date(now.getTime() - PERIODS[period] * 86_400_000).toISOString(), to: now.toISOString() };
}

/**
 * A period typed on the city's clock (two datetime-local values read in `timeZone`, whatever the
 * browser's zone), or why it cannot be run: a time missing, the end not after the start, longer
 * than the server takes, or starting in the future.
 */
export function customRange(from: string, to: string, timeZone: string, now: Date):
  { ok: true; from: string; to: string } | { ok: false; why: MessageKey } {
  const a = cityInputInstant(from, timeZone);
  const b = cityInputInstant(to, timeZone);
  if (!a || !b) return { ok: false, why: 'rules.backtest.custom.missing' };
  if (b.ms <= a.ms) return { ok: false, why: 'rules.backtest.custom.order' };
  if (b.ms - a.ms > MAX_DAYS * 86_400_000) return { ok: false, why: 'rules.backtest.custom.tooLong' };
  if (a.ms >= now.getTime()) return { ok: false, why: 'rules.backtest.custom.future' };
  return { ok: true, from: new Date(a.ms).toISOString(), to: new Date(b.ms).toISOString() };
}
