import { hashPassword } from '../auth/passwords.ts';
import { hashToken } from '../auth/tokens.ts';
import { enableAccountsDisabledFor, markDemoSeeded, upsertDisplayToken, upsertFeedToken, upsertUser, type Role } from '../storage/accounts-repo.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { listZones, upsertPlaces, upsertZones } from '../storage/zones-repo.ts';
import { demoSectors } from './city.ts';
import { DEMO_PLACES } from './places.ts';

export const DEMO_FEED_TOKEN = 'demo-feed-token';
export const DEMO_WALL_TOKEN = 'demo-wall';
const DEMO_USERS: { username: Role; displayName: string }[] = [
  { username: 'operator', displayName: 'Opératrice de démonstration' },
  { username: 'supervisor', displayName: 'Superviseur de démonstration' },
  { username: 'admin', displayName: 'Administratrice de démonstration' },
];

/** The demo accounts' names; each one's demo password is its name (public: README, the start banner). */
export const DEMO_ACCOUNTS: readonly string[] = DEMO_USERS.map((u) => u.username);
/** Why a start outside demo mode disabled an account (`users.disabled_reason`): its demo password still opened it. */
export const DISABLED_DEMO_PASSWORD = 'demo-password';

/**
 * Demo mode only: the documented accounts and tokens, and the demo city when no zone exists.
 * Demo accounts that a start outside demo mode disabled (demo-credentials.ts) are enabled again;
 * the database is marked as seeded in demo mode.
 */
export async function seedDemo(db: SqlClient, at = new Date()): Promise<void> {
  for (const u of DEMO_USERS) {
    await upsertUser(db, { username: u.username, displayName: u.displayName, role: u.username, passwordHash: await hashPassword(u.username) });
  }
  await enableAccountsDisabledFor(db, DEMO_ACCOUNTS, DISABLED_DEMO_PASSWORD);
  await markDemoSeeded(db, at);
  await upsertFeedToken(db, hashToken(DEMO_FEED_TOKEN), 'demo feeds', null);
  await upsertDisplayToken(db, hashToken(DEMO_WALL_TOKEN), 'demo wall');
  if ((await listZones(db)).length === 0) {
    await upsertZones(db, demoSectors());
    await upsertPlaces(db, DEMO_PLACES);
  }
}
