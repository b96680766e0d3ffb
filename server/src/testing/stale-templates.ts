import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A template (see `migratedPglite` in process.ts) or a folder one was being made in: `vigie-pglite-<hash>[-making-…]`. */
const TEMPLATE = /^vigie-pglite-[0-9a-f]{16}(-making-.+)?$/;
const DAY_MS = 24 * 3600_000;

/**
 * Removes from `folder` the PGlite templates of other migrations (or another PGlite), and the
 * folders a crashed process left half made, unused for over a day (a test process touches the
 * template it takes: see `migratedPglite`): each is about 40 MB, one more after every change of
 * the migrations. One used within the day is kept: a process of another checkout (a CI clone
 * beside this one) may be copying it. `keep`: the template in use.
 */
export function dropStaleTemplates(folder: string, keep: string, now = Date.now()): string[] {
  const dropped: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return dropped;
  }
  for (const name of names) {
    if (name === keep || !TEMPLATE.test(name)) continue;
    const path = join(folder, name);
    try {
      if (now - statSync(path).mtimeMs < DAY_MS) continue;
      rmSync(path, { recursive: true, force: true });
      dropped.push(name);
    } catch {
      // gone meanwhile, or not ours to remove: left
    }
  }
  return dropped;
}
