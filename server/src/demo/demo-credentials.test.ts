import { rmSync } from 'node:fs';
import { migratedDataDir } from '../testing/process.ts';
import { createVigie } from '../vigie.ts';
import { configFor, demoCredentialsSuite } from './demo-credentials.suite.ts';

// PGlite in a data folder of its own (migrated, as a first start leaves it), opened by each start as `npm start` opens ./data.
demoCredentialsSuite('PGlite in a data folder', async () => {
  const dir = await migratedDataDir('vigie-demo-credentials-');
  return {
    start: (env, log) => createVigie(configFor({ ...env, VIGIE_DATA_DIR: dir }), { log }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
