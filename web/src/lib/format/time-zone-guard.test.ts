import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../', import.meta.url).pathname;
/** The one module that formats dates, always with the city's zone. */
const ALLOWED = new Set(['lib/format/time.ts']);
/** Ways of formatting a date that take the browser's time zone unless told otherwise. */
const ZONELESS = [/Intl\.DateTimeFormat/, /\.toLocaleTimeString\(/, /\.toLocaleDateString\(/, /new Date\([^)]*\)\.toLocaleString\(/, /\.get(Hours|Minutes|Date|Day)\(\)/];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'e2e' || d.name === 'bench' ? [] : sources(path);
    return /\.(ts|svelte)$/.test(d.name) && !/\.test\.ts$/.test(d.name) ? [path] : [];
  });
}

describe('times on the city clock', () => {
  it('are formatted only by lib/format/time.ts (which requires the zone), nowhere on the browser\'s clock', () => {
    const offenders = sources(SRC).flatMap((path) => {
      const file = relative(SRC, path);
      if (ALLOWED.has(file)) return [];
      return readFileSync(path, 'utf8').split('\n').flatMap((line, i) => (ZONELESS.some((re) => re.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : []));
    });
    expect(offenders).toEqual([]);
  });
});
