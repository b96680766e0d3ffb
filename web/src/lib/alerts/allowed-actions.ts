import type { Alert } from '@vigie/rules';
import type { Role } from '../api/types.ts';
import { isActive } from './store-logic.ts';

export type AllowedActions = { ack: boolean; resolve: boolean; dismiss: boolean; reopen: boolean };

/** Whether the console may act on an alert: wall displays are read-only. */
export const canAct = (role: Role): boolean => role !== 'wall';

/** Which decisions make sense for `alert` in its current status, for a user with `role`. */
export function allowedActions(alert: Alert, role: Role): AllowedActions {
  const active = canAct(role) && isActive(alert);
  return { ack: active && alert.status === 'open', resolve: active, dismiss: active, reopen: canAct(role) && !isActive(alert) };
}
