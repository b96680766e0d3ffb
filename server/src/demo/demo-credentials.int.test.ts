import { describe } from 'vitest';
import { postgresDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';
import { createVigie } from '../vigie.ts';
import { configFor, demoCredentialsSuite } from './demo-credentials.suite.ts';

if (await postgresAvailable()) {
  demoCredentialsSuite('PostgreSQL', async () => {
    const db = await postgresDatabase();
    return { start: (env, log) => createVigie(configFor(env), { db: db.db, log }), drop: db.drop };
  });
} else describe.skip('demo credentials outside demo mode on PostgreSQL (not reachable)', () => {});
