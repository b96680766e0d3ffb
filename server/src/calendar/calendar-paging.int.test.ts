import { describe } from 'vitest';
import { postgresDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';
import { calendarPagingSuite } from './calendar-paging.suite.ts';

if (await postgresAvailable()) calendarPagingSuite('PostgreSQL', postgresDatabase);
else describe.skip('calendar pages on PostgreSQL (not reachable)', () => {});
