import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dropStaleTemplates } from './stale-templates.ts';

describe('stale PGlite templates in the temporary folder', () => {
  let folder = '';
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('removes the templates and half-made folders untouched for a day, keeps the one in use, the recent ones and what is not a template', () => {
    folder = mkdtempSync(join(tmpdir(), 'vigie-stale-test-'));
    const old = (Date.now() - 2 * 24 * 3600_000) / 1000;
    const make = (name: string, aged: boolean) => {
      mkdirSync(join(folder, name, 'base'), { recursive: true });
      writeFileSync(join(folder, name, 'base', 'file'), 'x');
      if (aged) utimesSync(join(folder, name), old, old);
    };
    make('vigie-pglite-0123456789abcdef', true); // in use, however old
    make('vigie-pglite-1111111111111111', true); // other migrations, old: removed
    make('vigie-pglite-2222222222222222-making-Ab12Cd', true); // half made by a crashed process: removed
    make('vigie-pglite-3333333333333333', false); // another checkout's, recent: kept
    make('vigie-data-abc', true); // a test's data folder: not a template
    make('vigie-pglite-notahash', true);

    expect(dropStaleTemplates(folder, 'vigie-pglite-0123456789abcdef').sort()).toEqual(['vigie-pglite-1111111111111111', 'vigie-pglite-2222222222222222-making-Ab12Cd']);
    for (const kept of ['vigie-pglite-0123456789abcdef', 'vigie-pglite-3333333333333333', 'vigie-data-abc', 'vigie-pglite-notahash']) expect(existsSync(join(folder, kept)), kept).toBe(true);
    expect(existsSync(join(folder, 'vigie-pglite-1111111111111111'))).toBe(false);
  });

  it('does nothing where the folder cannot be read', () => {
    expect(dropStaleTemplates(join(tmpdir(), 'vigie-no-such-folder-here'), 'x')).toEqual([]);
  });
});
