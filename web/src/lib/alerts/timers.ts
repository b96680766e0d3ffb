import type { Alert } from '@vigie/rules';

/** Milliseconds left before an open alert escalates (negative: overdue); null when no timer runs. */
export function ackRemaining(alert: Alert, now: number): number | null {
  if (alert.status !== 'open' || !alert.ackDueAt) return null;
  const due = Date.parse(alert.ackDueAt);
  return Number.isNaN(due) ? null : due - now;
}

/**
 * A duration with its units, so that it never reads as a time of day ("14:42" beside a clock
 * that says 01:42): `14 min 05 s`, `42 s`, `1 h 02 min 05 s`, with a minus sign when overdue.
 * The units are the same in French and English; non-breaking spaces keep each number with its unit.
 */
export function formatCountdown(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${sign}${h}\u00a0h\u00a0${two(m)}\u00a0min\u00a0${two(s)}\u00a0s`;
  if (m > 0) return `${sign}${m}\u00a0min\u00a0${two(s)}\u00a0s`;
  return `${sign}${s}\u00a0s`;
}
