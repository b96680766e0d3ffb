import { hashPassword } from '../auth/passwords.ts';
import { hashToken } from '../auth/tokens.ts';
import { upsertDisplayToken, upsertFeedToken, upsertUser, type Role } from '../storage/accounts-repo.ts';
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

/** Demo mode only: the documented accounts and tokens, and the demo city when no zone exists. */
export async function seedDemo(db: SqlClient): Promise<void> {
  for (const u of DEMO_USERS) {
    await upsertUser(db, { username: u.username, displayName: u.displayName, role: u.username, passwordHash: await hashPassword(u.username) });
  }
  await upsertFeedToken(db, hashToken(DEMO_FEED_TOKEN), 'demo feeds', null);
  await upsertDisplayToken(db, hashToken(DEMO_WALL_TOKEN), 'demo wall');
  if ((await listZones(db)).length === 0) {
    await upsertZones(db, demoSectors());
    await upsertPlaces(db, DEMO_PLACES);
  }
}
