#!/usr/bin/env node
// Builds the console when web/build is missing or older than its sources (used by npm start).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const web = new URL('../web/', import.meta.url).pathname;
const built = join(web, 'build', 'index.html');

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

const sources = Math.max(newest(join(web, 'src')), statSync(join(web, 'svelte.config.js')).mtimeMs);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  process.stdout.write('Building the console (web/build)…\n');
  const r = spawnSync('npm', ['run', 'build', '--workspace', '@vigie/web'], { stdio: 'inherit', cwd: join(web, '..') });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
