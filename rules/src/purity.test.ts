import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule that keeps @vigie/rules pure: no I/O, no clock, no randomness, no timers.
 * It reads the package's sources with the TypeScript parser (tests and benchmarks excepted;
 * the evaluation's command, which reads files, lives outside src/ in tools/).
 */
const SRC = fileURLToPath(new URL('.', import.meta.url));
const FORBIDDEN_GLOBALS = new Set(['process', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'require', 'performance', 'crypto']);
const ALLOWED_IMPORTS = [/^\.\.?\//, /^zod$/, /^yaml$/, /^h3-js$/];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'bench' || name === 'testing' ? [] : sources(p);
    return p.endsWith('.ts') && !/\.(test|bench)\.ts$/.test(p) ? [p] : [];
  });
}

export function impurities(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (n: ts.Node, what: string) => {
    const { line } = sf.getLineAndCharacterOfPosition(n.getStart());
    found.push(`${file}:${line + 1}: ${what}`);
  };
  const visit = (n: ts.Node) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const spec = n.moduleSpecifier.text;
      if (!ALLOWED_IMPORTS.some((re) => re.test(spec))) at(n, `import of "${spec}"`);
    }
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) at(n, 'dynamic import');
    if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression)) {
      const name = `${n.expression.text}.${n.name.text}`;
      if (name === 'Date.now' || name === 'Math.random' || name === 'performance.now') at(n, name);
    }
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'Date' && !n.arguments?.length) at(n, 'new Date() reads the clock');
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'Date') at(n, 'Date() reads the clock');
    const p = n.parent as ts.Node | undefined;
    const isMemberName = !!p && ((ts.isPropertyAccessExpression(p) && p.name === n) || (ts.isPropertyAssignment(p) && p.name === n));
    if (ts.isIdentifier(n) && FORBIDDEN_GLOBALS.has(n.text) && !isMemberName) at(n, n.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe('purity of @vigie/rules', () => {
  it('no source file reaches I/O, the clock, randomness or timers', () => {
    const found = sources(SRC).flatMap((f) => impurities(relative(SRC, f), readFileSync(f, 'utf8')));
    expect(found).toEqual([]);
  });

  it('the rule catches each kind of impurity', () => {
    const bad = [
      "import { readFile } from 'node:fs';",
      "import pg from 'pg';",
      'const t = Date.now();',
      'const d = new Date();',
      'const r = Math.random();',
      'setTimeout(() => {}, 1);',
      'const e = process.env.X;',
      "const m = await import('node:os');",
    ].join('\n');
    expect(impurities('bad.ts', bad).length).toBe(8);
    expect(impurities('ok.ts', "import { z } from 'zod';\nconst d = new Date(0);\nconst t = Date.parse('2026');")).toEqual([]);
  });
});
