import { memoryDatabase } from '../testing/databases.ts';
import { publicApiSuite } from './public-api.suite.ts';

publicApiSuite('PGlite', memoryDatabase);
