import type { Alert } from '@vigie/rules';
import { KEY_ACTIVE, postAlertAction, TRANSITION_REFUSED, VERSION_CONFLICT, type AlertAction, type AlertActionBodies } from '../api/alerts.ts';
import { ApiError, type Http } from '../api/http.ts';

/** What an operator's decision came to: done, overtaken by someone else, or failed. */
export type ActionOutcome =
  | { kind: 'done'; alert: Alert }
  | { kind: 'conflict'; current: Alert | null }
  /**
   * Refused for the alert's state: not possible in its status (`transition`), or reopening
   * beside another active alert of its rule and key (`key-active`, that alert in `active`).
   */
  | { kind: 'refused'; why: Refusal; current: Alert | null; active: Alert | null }
  /** `error`: what failed, for the console to word in its language (see errorText). */
  | { kind: 'failed'; status: number; error: unknown };

export type Refusal = 'transition' | 'key-active';

/** The action's body minus the version, which is always the alert's as the operator saw it. */
export type ActionExtras<A extends AlertAction> = Omit<AlertActionBodies[A], 'version'>;

function isAlert(value: unknown): value is Alert {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { version?: unknown }).version === 'number'
  );
}

/** The current alert carried by a 409 `VIGIE_ALERT_VERSION_CONFLICT`, when there is one. */
export function conflictCurrent(details: unknown, field: 'current' | 'active' = 'current'): Alert | null {
  if (typeof details !== 'object' || details === null) return null;
  const current = (details as Record<string, unknown>)[field];
  return isAlert(current) ? current : null;
}

/** Apply `action` to `alert` at the version the operator saw; never throws. */
export async function runAlertAction<A extends AlertAction>(
  http: Http,
  alert: Alert,
  action: A,
  extras: ActionExtras<A>,
): Promise<ActionOutcome> {
  const body = { ...extras, version: alert.version } as AlertActionBodies[A];
  try {
    return { kind: 'done', alert: await postAlertAction(http, alert.id, action, body) };
  } catch (error) {
    if (error instanceof ApiError && error.code === VERSION_CONFLICT) {
      return { kind: 'conflict', current: conflictCurrent(error.details) };
    }
    if (error instanceof ApiError && (error.code === TRANSITION_REFUSED || error.code === KEY_ACTIVE)) {
      const why: Refusal = error.code === KEY_ACTIVE ? 'key-active' : 'transition';
      return { kind: 'refused', why, current: conflictCurrent(error.details), active: conflictCurrent(error.details, 'active') };
    }
    return { kind: 'failed', status: error instanceof ApiError ? error.status : 0, error };
  }
}

/**
 * Whether a failure means the server could not be reached (no answer at all, or a proxy
 * saying the node behind it is down or slow): nothing was recorded, trying again is safe.
 */
export const isUnreachable = (status: number): boolean => status === 0 || status === 502 || status === 503 || status === 504;

/**
 * What the detail panel tells the operator after a decision that did not go through.
 * `unreachable` is said in the console's language (the browser's "Failed to fetch" is not)
 * and goes once the server answers again.
 */
export type ActionNotice =
  | { kind: 'conflict' }
  /** Worded from the error's code when shown (errorText), so in the console's current language. */
  | { kind: 'error'; error: unknown }
  | { kind: 'unreachable' }
  | { kind: 'info'; message: string }
  /** Said in the console's language; `active`: the alert to work on instead, which the panel offers to open. */
  | { kind: 'refused'; why: Refusal; active: string | null };

/** The notice for a failure that is not a conflict. */
export const failureNotice = (status: number, error: unknown): ActionNotice =>
  isUnreachable(status) ? { kind: 'unreachable' } : { kind: 'error', error };
