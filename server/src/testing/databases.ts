import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../storage/migrate.ts';
import { openPg } from '../storage/pg-client.ts';
import { openPglite } from '../storage/pglite-client.ts';
import type { SqlClient } from '../storage/sql-client.ts';
import { TEST_DATABASE_URL } from './services.ts';

export type TestDatabase = { db: SqlClient; url?: string; schema?: string; drop: () => Promise<void> };

/** A migrated PGlite database in memory. */
export async function memoryDatabase(): Promise<TestDatabase> {
  const db = await openPglite('memory://');
  await migrate(db);
  return { db, drop: () => db.close() };
}

/** A migrated schema of its own in the real PostgreSQL, dropped in teardown. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = openPg({ connectionString: TEST_DATABASE_URL, schema });
  await migrate(db);
  return {
    db,
    url: TEST_DATABASE_URL,
    schema,
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}
