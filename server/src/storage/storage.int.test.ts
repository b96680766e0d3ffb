import { describe } from 'vitest';
import { postgresDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';
import { storageSuite } from './storage.suite.ts';

if (await postgresAvailable()) storageSuite('PostgreSQL', postgresDatabase);
else describe.skip('storage on PostgreSQL (not reachable)', () => {});
