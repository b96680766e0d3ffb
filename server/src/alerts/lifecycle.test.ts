import { memoryDatabase } from '../testing/databases.ts';
import { lifecycleSuite } from './lifecycle.suite.ts';

lifecycleSuite('PGlite', memoryDatabase);
