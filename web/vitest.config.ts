import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Unit tests of the console's plain TypeScript modules (no SvelteKit plugin:
 * components are covered by the browser tests under `src/e2e/`).
 */
export default defineConfig({
  // `tsconfig.json` extends `.svelte-kit/tsconfig.json`, which exists only after
  // `svelte-kit sync`; the transform needs no more than the repository's base options.
  tsconfig: '../tsconfig.json',
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // Two test files at a time even on 2 cores (Vitest's default there is one): a browser test
    // waits on its node and Chromium, other processes, as much as it computes (840 s → 560 s here).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // A browser test's steps take seconds on a loaded 2-core machine (a page load, a sign-in): the
    // bound is there for a hang, not for speed (Vitest's own, 5 s, failed a sign-in under load).
    testTimeout: 30_000,
  },
});
