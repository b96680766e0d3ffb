import type { Role } from '../storage/accounts-repo.ts';

/** What each role may do; a role has its own rights and those of the roles it includes. */
const INCLUDES: Record<Role, Role[]> = {
  operator: ['operator'],
  supervisor: ['operator', 'supervisor'],
  admin: ['operator', 'supervisor', 'admin'],
  wall: ['wall'],
};

export const hasRole = (role: Role, needed: Role) => INCLUDES[role].includes(needed);
