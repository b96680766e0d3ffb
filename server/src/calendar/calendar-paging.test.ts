import { memoryDatabase } from '../testing/databases.ts';
import { calendarPagingSuite } from './calendar-paging.suite.ts';

calendarPagingSuite('PGlite', memoryDatabase);
