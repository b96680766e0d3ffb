// What the built console (web/build) is made of, and whether it is older than any of it
// (scripts/ensure-build.mjs rebuilds it then). Tested by server/src/console-inputs.test.ts.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The console's sources, from the repository's root: its own, its build's configuration, and
 * @vigie/rules, which it bundles (the rule validator runs in the editor, the domain types
 * everywhere); the package.json files, whose dependencies and exports shape the bundle.
 * A path that does not exist (web/static, until the console has static files) is skipped.
 */
export const CONSOLE_INPUTS = [
  'web/src', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts', 'web/package.json',
  'rules/src', 'rules/package.json',
  'package.json',
];

/** Tests are never bundled: a change to one leaves the console as it is. */
const TEST_FILE = /\.test\.[cm]?[jt]s$/;

/** The newest modification time (ms) of a file, or of the files under a folder; 0 if missing. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return TEST_FILE.test(path) ? 0 : s.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

/** Whether web/build under `root` is missing or older than one of the console's sources. */
export function consoleStale(root) {
  const built = join(root, 'web', 'build', 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(...CONSOLE_INPUTS.map((p) => newest(join(root, p))));
  return statSync(built).mtimeMs < sources;
}
