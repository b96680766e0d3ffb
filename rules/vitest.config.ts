import { defineConfig } from 'vitest/config';
// 20 s per test, as the server's: some replay real data (every quartier, thousands of points) and
// take seconds on a loaded 2-core machine; the bound is there for a hang, not for speed.
export default defineConfig({ test: { include: ['src/**/*.test.ts', 'tools/**/*.test.ts'], testTimeout: 20_000 } });
