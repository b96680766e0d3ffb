import { describe } from 'vitest';
import { postgresDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';
import { rulesStoreSuite } from './rules-store.suite.ts';

if (await postgresAvailable()) rulesStoreSuite('PostgreSQL', postgresDatabase);
else describe.skip('rules in the database on PostgreSQL (not reachable)', () => {});
