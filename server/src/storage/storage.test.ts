import { memoryDatabase } from '../testing/databases.ts';
import { storageSuite } from './storage.suite.ts';

storageSuite('PGlite', memoryDatabase);
