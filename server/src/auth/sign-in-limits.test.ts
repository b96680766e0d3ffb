import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryDatabase, type TestDatabase } from '../testing/databases.ts';
import { PER_ACCOUNT, PER_ADDRESS, SignInLimits, SPAN_MS } from './sign-in-limits.ts';

let t: TestDatabase;
beforeAll(async () => { t = await memoryDatabase(); });
afterAll(async () => { await t?.drop(); });

const at = (ms: number) => new Date(Date.parse('2026-11-29T10:00:00Z') + ms);

describe('SignInLimits', () => {
  it('holds an account after its tenth failure until the span has passed since the first of the ten', async () => {
    const limits = new SignInLimits(t.db);
    for (let i = 0; i < PER_ACCOUNT - 1; i++) await limits.failed('10.0.0.1', 'alice', at(i * 1000));
    expect((await limits.wait('10.0.0.1', 'alice', at(20_000))).ms).toBe(0);
    await limits.failed('10.0.0.1', 'alice', at(30_000));
    expect(await limits.wait('10.0.0.1', 'alice', at(60_000))).toEqual({ ms: SPAN_MS - 60_000, scope: 'account' });
    // From another address, the same name is another account.
    expect((await limits.wait('10.0.0.2', 'alice', at(60_000))).ms).toBe(0);
    // The first failure leaves the span: nine left, the account may try again.
    expect((await limits.wait('10.0.0.1', 'alice', at(SPAN_MS))).ms).toBe(0);
  });

  it('holds an address after thirty failures whatever the accounts, but not an account that signed in from it within a day', async () => {
    const limits = new SignInLimits(t.db);
    await limits.succeeded('10.0.0.3', 'bob', at(0));
    for (let i = 0; i < PER_ADDRESS; i++) await limits.failed('10.0.0.3', `user-${i}`, at(1000 + i));
    expect((await limits.wait('10.0.0.3', 'carol', at(2000))).scope).toBe('address');
    expect((await limits.wait('10.0.0.3', 'carol', at(2000))).ms).toBeGreaterThan(SPAN_MS - 2000);
    expect((await limits.wait('10.0.0.3', 'bob', at(2000))).ms).toBe(0);
    // A day later bob is no longer known there; the failures are long gone as well.
    expect((await limits.wait('10.0.0.3', 'bob', at(24 * 3600_000 + 5000))).ms).toBe(0);
  });

  it('a success clears the account\'s failures, not the address\'s; failures past the span are pruned on the next write', async () => {
    await t.db.query('DELETE FROM sign_in_failures'); // the earlier tests' rows
    const limits = new SignInLimits(t.db);
    for (let i = 0; i < 5; i++) await limits.failed('10.0.0.4', 'dave', at(i));
    await limits.succeeded('10.0.0.4', 'dave', at(10));
    const count = async (scope: string) => (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sign_in_failures WHERE scope = $1', [scope]))[0]!.n;
    expect(await count('account')).toBe(0);
    expect(await count('address')).toBe(5);
    await limits.failed('10.0.0.4', 'erin', at(SPAN_MS + 100));
    expect(await count('address')).toBe(1);
  });
});
