import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['functions/**/*.test.ts', 'lib/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration and end-to-end files share the broker, the database server and ports: one file at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
