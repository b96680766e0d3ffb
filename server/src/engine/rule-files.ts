import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuleFiles, type LoadedLibrary } from '@vigie/rules';

/** The stock library shipped with Vigie. */
export const STOCK_RULES_DIR = fileURLToPath(new URL('../../../rules/library/', import.meta.url));

/** Reads every `*.yaml` / `*.yml` of a folder; bad files are reported, the others load. */
export async function loadRulesDir(dir: string): Promise<LoadedLibrary> {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const files = await Promise.all(names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
  return loadRuleFiles(files);
}
