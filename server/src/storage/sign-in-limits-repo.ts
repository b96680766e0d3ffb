import type { SqlClient } from './sql-client.ts';
import { iso } from './sql-client.ts';

export type SignInScope = 'account' | 'address';

/**
 * For each key, the time of its `nth` latest failure after `since` (undefined when it has
 * fewer), and whether `known` signed in after `knownSince`: one round trip.
 */
export async function signInState(db: SqlClient, q: {
  account: string; address: string; since: Date; accountNth: number; addressNth: number; knownSince: Date;
}): Promise<{ account?: string; address?: string; known: boolean }> {
  const [r] = await db.query<{ account: unknown; address: unknown; known: boolean }>(
    `SELECT
       (SELECT at FROM sign_in_failures WHERE scope = 'account' AND key = $1 AND at > $3 ORDER BY at DESC OFFSET $4 LIMIT 1) AS account,
       (SELECT at FROM sign_in_failures WHERE scope = 'address' AND key = $2 AND at > $3 ORDER BY at DESC OFFSET $5 LIMIT 1) AS address,
       EXISTS (SELECT 1 FROM sign_in_known WHERE key = $1 AND at > $6) AS known`,
    [q.account, q.address, q.since.toISOString(), q.accountNth - 1, q.addressNth - 1, q.knownSince.toISOString()]);
  return { account: r?.account == null ? undefined : iso(r.account), address: r?.address == null ? undefined : iso(r.address), known: Boolean(r?.known) };
}

/** One failure for the account and the address; failures at or before `prune` go. */
export async function recordSignInFailure(db: SqlClient, account: string, address: string, at: Date, prune: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM sign_in_failures WHERE at <= $1', [prune.toISOString()]);
    await tx.query(`INSERT INTO sign_in_failures (scope, key, at) VALUES ('account', $1, $3), ('address', $2, $3)`, [account, address, at.toISOString()]);
  });
}

/** The account signed in: its failures go (not the address's), it is known there from `at`; known ones at or before `prune` go. */
export async function recordSignIn(db: SqlClient, account: string, at: Date, prune: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM sign_in_failures WHERE scope = 'account' AND key = $1`, [account]);
    await tx.query('DELETE FROM sign_in_known WHERE at <= $1', [prune.toISOString()]);
    await tx.query('INSERT INTO sign_in_known (key, at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET at = EXCLUDED.at', [account, at.toISOString()]);
  });
}
