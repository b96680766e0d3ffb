import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseRule, type RuleFileError } from '@vigie/rules';

export type SeedEntry = { id: string; yaml: string; file: string };

/** The valid rule files of a folder, as YAML text with their id; bad files are reported. */
export async function readSeedFiles(dir: string): Promise<{ entries: SeedEntry[]; errors: RuleFileError[] }> {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  const entries: SeedEntry[] = [];
  const errors: RuleFileError[] = [];
  for (const file of names) {
    const yaml = await readFile(join(dir, file), 'utf8');
    const r = parseRule(yaml);
    if (r.ok) entries.push({ id: r.rule.id, yaml, file });
    else errors.push(...r.errors.map((e) => ({ ...e, file })));
  }
  return { entries, errors };
}
