import { describe } from 'vitest';
import { postgresDatabase } from '../testing/databases.ts';
import { postgresAvailable } from '../testing/services.ts';
import { lifecycleSuite } from './lifecycle.suite.ts';

if (await postgresAvailable()) lifecycleSuite('PostgreSQL', postgresDatabase);
else describe.skip('alert lifecycle on PostgreSQL (no server at 127.0.0.1:5432)', () => {});
