import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two test files at a time even on 2 cores (Vitest's default there is one): they wait on
    // PGlite's thread, PostgreSQL, Redis and the brokers as much as they compute (626 s → 389 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
