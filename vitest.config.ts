import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/src/**/*.test.ts', 'server/test/**/*.test.ts', 'shared/src/**/*.test.ts', 'addin/src/**/*.test.{ts,tsx}', 'addin/test/**/*.test.{ts,tsx}', 'portal/src/**/*.test.{ts,tsx}', 'portal/test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
