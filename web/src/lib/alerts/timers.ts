import type { Alert } from '@vigie/rules';

/** Milliseconds left before an open alert escalates (negative: overdue); null when no timer runs. */
export function ackRemaining(alert: Alert, now: number): number | null {
  if (alert.status !== 'open' || !alert.ackDueAt) return null;
  const due = Date.parse(alert.ackDueAt);
  return Number.isNaN(due) ? null : due - now;
}

/** `m:ss` (or `h:mm:ss`) of a duration, with a minus sign when overdue. */
export function formatCountdown(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${s}` : `${sign}${m}:${s}`;
}
