import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVigie } from '../vigie.ts';
import { configFor, demoCredentialsSuite } from './demo-credentials.suite.ts';

// PGlite in a data folder of its own, opened by each start as `npm start` opens ./data.
demoCredentialsSuite('PGlite in a data folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-demo-credentials-'));
  return {
    start: (env, log) => createVigie(configFor({ ...env, VIGIE_DATA_DIR: dir }), { log }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
