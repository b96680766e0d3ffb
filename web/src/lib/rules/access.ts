import type { Role, User } from '../api/types.ts';

/** Who may open the rules area (and its API): supervisors and administrators. */
export const canEditRules = (role: Role): boolean => role === 'supervisor' || role === 'admin';

export type Access = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'forbidden'; user: User } | { kind: 'allowed'; user: User };

export const accessFor = (user: User): Access => (canEditRules(user.role) ? { kind: 'allowed', user } : { kind: 'forbidden', user });
