import type { Role, User } from '../api/types.ts';

/** Who may open the rules area (and its API): supervisors and administrators. */
export const canEditRules = (role: Role): boolean => role === 'supervisor' || role === 'admin';

export type Access = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'forbidden'; user: User } | { kind: 'allowed'; user: User };

/** Who may manage the feeds (configurations, dead letters, GTFS static): administrators only, as the API says. */
export const canManageFeeds = (role: Role): boolean => role === 'admin';

/** Whether `user` may open a page of the area; `allowed` says who may (the rules area's supervisors and admins by default). */
export const accessFor = (user: User, allowed: (role: Role) => boolean = canEditRules): Access => (allowed(user.role) ? { kind: 'allowed', user } : { kind: 'forbidden', user });

/** Who may manage accounts and tokens: administrators only, as the API says. */
export const canManageAccounts = (role: Role): boolean => role === 'admin';
