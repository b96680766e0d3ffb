import { memoryDatabase } from '../testing/databases.ts';
import { rulesStoreSuite } from './rules-store.suite.ts';

rulesStoreSuite('PGlite', memoryDatabase);
