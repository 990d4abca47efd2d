import { defineConfig } from 'vitest/config';

/**
 * `unit`: function-level and library tests with fakes, no services, files in parallel (`npm run test:unit`).
 * `integration`, `e2e`, `faults`: the real RabbitMQ, MariaDB/MySQL and `serverless offline`. They share the broker,
 * the database server and ports, so their files run one at a time, and the groups one after another.
 */
const serviceProject = (name: string, groupOrder: number, include: string[]) => ({
  test: {
    name,
    include,
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    sequence: { groupOrder },
    // As in the unit project; a test that checks metrics asks for them (test/faults/failure-logs.test.ts).
    env: { METRICS_OUTPUT: 'off' },
  },
});

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'functions/**/*.test.ts',
            'lib/**/*.test.ts',
            'plugins/**/*.test.ts',
            'tools/**/*.test.ts',
            'deploy/**/*.test.ts',
          ],
          sequence: { groupOrder: 0 },
          // Metrics would go to stdout as on AWS; the e2e tests check them through serverless offline.
          env: { METRICS_OUTPUT: 'off' },
        },
      },
      serviceProject('integration', 1, ['test/integration/**/*.test.ts']),
      serviceProject('e2e', 2, ['test/e2e/**/*.test.ts']),
      serviceProject('faults', 3, ['test/faults/**/*.test.ts']),
    ],
  },
});
