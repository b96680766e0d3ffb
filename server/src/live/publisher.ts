import type { Alert } from '@vigie/rules';

/** Where alert changes go once stored: the live server, or nothing in a test that needs no sockets. */
export interface AlertPublisher {
  publish(alert: Alert, isNew: boolean): void;
  /** Alerts that just escalated, for supervisors. */
  escalated?(alerts: Alert[]): void;
}

export const NO_PUBLISHER: AlertPublisher = { publish() {} };
