import type { Alert } from '@vigie/rules';
import type { Http } from './http.ts';
import type { AlertList } from './types.ts';

export const VERSION_CONFLICT = 'VIGIE_ALERT_VERSION_CONFLICT';
/** The action is not possible in the alert's status (the current alert is in the details). */
export const TRANSITION_REFUSED = 'VIGIE_ALERT_TRANSITION';
/** Reopening refused: another alert of the same rule and key is active (`details.active`). */
export const KEY_ACTIVE = 'VIGIE_ALERT_KEY_ACTIVE';

export const DISMISS_REASONS = ['false_positive', 'duplicate', 'test', 'already_handled', 'other'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

/** The body of each alert action; every one carries the version it was decided on. */
export type AlertActionBodies = {
  ack: { version: number };
  resolve: { version: number; note?: string };
  dismiss: { version: number; reason: DismissReason; note?: string };
  comment: { version: number; text: string };
  assign: { version: number; assignee: string };
  /** A resolved or dismissed alert back to open; why is required. */
  reopen: { version: number; note: string };
};
export type AlertAction = keyof AlertActionBodies;

/** Open and acknowledged alerts, newest first, and the `seq` they are current at. */
export const fetchActiveAlerts = (http: Http, limit = 500): Promise<AlertList> =>
  http.get<AlertList>(`/api/v1/alerts?status=open,acknowledged&limit=${limit}`);

export const fetchAlert = (http: Http, id: string): Promise<Alert> =>
  http.get<Alert>(`/api/v1/alerts/${encodeURIComponent(id)}`);

/** Apply an action; answers the updated alert (409 `VIGIE_ALERT_VERSION_CONFLICT` when stale). */
export const postAlertAction = <A extends AlertAction>(
  http: Http,
  id: string,
  action: A,
  body: AlertActionBodies[A],
): Promise<Alert> => http.post<Alert>(`/api/v1/alerts/${encodeURIComponent(id)}/${action}`, body);
