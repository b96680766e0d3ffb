import { compileRule, type CompiledRule } from './language/compile-rule.ts';
import { parseRule, type RuleError } from './language/parse.ts';

export type RuleFile = { name: string; text: string };
export type RuleFileError = RuleError & { file: string };
export type LoadedLibrary = { rules: CompiledRule[]; errors: RuleFileError[] };

/**
 * Parses a set of rule files. A bad file is reported (file, line, field) and left out;
 * the others load. Two files with the same rule id: the second is refused.
 */
export function loadRuleFiles(files: RuleFile[]): LoadedLibrary {
  const rules: CompiledRule[] = [];
  const errors: RuleFileError[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    const r = parseRule(f.text);
    if (!r.ok) {
      errors.push(...r.errors.map((e) => ({ ...e, file: f.name })));
      continue;
    }
    const other = seen.get(r.rule.id);
    if (other) {
      errors.push({ file: f.name, line: 1, column: 1, field: 'id', message: `rule id "${r.rule.id}" is already used by ${other}` });
      continue;
    }
    seen.set(r.rule.id, f.name);
    rules.push(compileRule(r.rule));
  }
  return { rules, errors };
}
