#!/usr/bin/env node
// `npm run bench`: every benchmark of every package: the rules package's `bench`, then each
// `bench:<name>` script of rules, server and web, one after the other (they share 2 cores).
// `npm run bench -- <name>` runs only the scripts whose name contains <name>.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2];
const runs = [];
for (const ws of ['rules', 'server', 'web']) {
  const pkg = JSON.parse(readFileSync(`${root}${ws}/package.json`, 'utf8'));
  for (const name of Object.keys(pkg.scripts ?? {})) {
    if (name === 'bench' || name.startsWith('bench:')) runs.push({ ws, name, label: `${ws} ${name}` });
  }
}
const selected = runs.filter((r) => !filter || r.label.includes(filter));
// The web benchmarks drive the built console: build it first if it is missing or stale.
if (selected.some((r) => r.ws === 'web')) spawnSync('node', ['scripts/ensure-build.mjs'], { cwd: root, stdio: 'inherit' });
let failed = 0;
for (const r of selected) {
  process.stdout.write(`\n══ ${r.label}\n`);
  const res = spawnSync('npm', ['run', '--silent', r.name, '--workspace', `@vigie/${r.ws}`], { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
