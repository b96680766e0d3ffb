import { describe, expect, it } from 'vitest';
import { accessFor, canEditRules } from './access.ts';

describe('access to the rules area', () => {
  it('opens to supervisors and administrators only', () => {
    expect(['operator', 'supervisor', 'admin', 'wall'].filter((r) => canEditRules(r as never))).toEqual(['supervisor', 'admin']);
    expect(accessFor({ username: 'op', role: 'operator', displayName: 'Op' }).kind).toBe('forbidden');
  });
});
