/** The periods a supervisor backtests over. */
export const PERIODS = { '24h': 1, '7d': 7, '30d': 30 } as const;
export type Period = keyof typeof PERIODS;

/** The period ending at `now` (ISO strings, as the backtest API takes them). */
export function periodRange(period: Period, now: Date): { from: string; to: string } {
  return { from: new Date(now.getTime() - PERIODS[period] * 86_400_000).toISOString(), to: now.toISOString() };
}
