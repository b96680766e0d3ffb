import { describe } from 'vitest';
import { postgresDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';
import { publicApiSuite } from './public-api.suite.ts';

if (await postgresAvailable()) publicApiSuite('PostgreSQL', postgresDatabase);
else describe.skip('the public indicators on PostgreSQL (not reachable)', () => {});
