import { describe, expect, it } from 'vitest';
import { accessFor, canEditRules, canManageFeeds } from './access.ts';

describe('access to the rules area', () => {
  it('opens to supervisors and administrators only', () => {
    expect(['operator', 'supervisor', 'admin', 'wall'].filter((r) => canEditRules(r as never))).toEqual(['supervisor', 'admin']);
    expect(accessFor({ username: 'op', role: 'operator', displayName: 'Op' }).kind).toBe('forbidden');
  });

  it('opens the feeds page to administrators only', () => {
    expect(['operator', 'supervisor', 'admin', 'wall'].filter((r) => canManageFeeds(r as never))).toEqual(['admin']);
    expect(accessFor({ username: 'sup', role: 'supervisor', displayName: 'Sup' }, canManageFeeds).kind).toBe('forbidden');
    expect(accessFor({ username: 'admin', role: 'admin', displayName: 'Admin' }, canManageFeeds)).toMatchObject({ kind: 'allowed', user: { username: 'admin' } });
  });
});
