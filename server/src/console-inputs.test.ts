import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleStale } from '../../scripts/console-inputs.mjs';

/** scripts/console-inputs.mjs (npm start's rebuild of the console), on a repository laid out in a temporary folder. */
describe('whether the built console is stale', () => {
  let root = '';
  afterEach(() => { if (root) rmSync(root, { recursive: true, force: true }); });

  const BUILT = new Date('2026-01-01T12:00:00Z');
  const BEFORE = new Date('2026-01-01T11:00:00Z');
  const AFTER = new Date('2026-01-01T13:00:00Z');
  const file = (path: string, at: Date) => {
    const p = join(root, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, 'x');
    utimesSync(p, at, at);
  };
  const repo = () => {
    root = mkdtempSync(join(tmpdir(), 'vigie-console-'));
    for (const p of ['web/src/app.html', 'web/svelte.config.js', 'web/vite.config.ts', 'web/package.json', 'rules/src/index.ts', 'rules/package.json', 'package.json']) file(p, BEFORE);
    file('web/build/index.html', BUILT);
  };

  it('is fresh when every source is older than the build, and stale without a build', () => {
    repo();
    expect(consoleStale(root)).toBe(false);
    rmSync(join(root, 'web/build'), { recursive: true });
    expect(consoleStale(root)).toBe(true);
  });

  it('is stale when the rules package it bundles changed, not only the console\'s own sources', () => {
    for (const changed of ['rules/src/engine/engine.ts', 'rules/package.json', 'web/src/lib/x.ts', 'web/static/favicon.png', 'web/vite.config.ts', 'web/package.json', 'package.json']) {
      repo();
      file(changed, AFTER);
      expect(consoleStale(root), changed).toBe(true);
    }
  });

  it('is fresh after a change to a test, which is never bundled', () => {
    repo();
    file('rules/src/engine/engine.test.ts', AFTER);
    file('web/src/lib/x.test.ts', AFTER);
    expect(consoleStale(root)).toBe(false);
  });
});
