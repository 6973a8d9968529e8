import { defineConfig } from 'vitest/config';

// Coverage gates: the pure protocol core (codec + state machine) must stay at >= 95 % of lines.
// `test/coverage-report.mjs` prints those modules' figures after every `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportOnFailure: true,
      thresholds: {
        'src/vrrp/packet/**/*.ts': { lines: 95 },
        'src/vrrp/fsm/**/*.ts': { lines: 95 },
      },
    },
  },
});
