#!/usr/bin/env node
// Builds the console when web/build is missing or older than its sources (used by npm start
// and npm run bench); what counts as a source is in console-inputs.mjs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { consoleStale } from './console-inputs.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
if (consoleStale(root)) {
  process.stdout.write('Building the console (web/build)…\n');
  const r = spawnSync('npm', ['run', 'build', '--workspace', '@vigie/web'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
