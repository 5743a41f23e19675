import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter.js';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    reporters: ['default', new SummaryReporter()],
    projects: [
      // Everything, on the SDK's default transport (on Node: its node:http transport).
      { extends: true, test: { name: 'default', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      // The fault suite and the recorded-corpus conformance suite again on the portable path
      // (`fetch: globalThis.fetch`): same outcomes required. The Ollama corpus test runs both itself.
      {
        extends: true,
        test: {
          name: 'fetch',
          include: ['test/faults/**/*.test.ts', 'test/conformance/**/*.test.ts'],
          env: { OPEN_AGENT_TEST_TRANSPORT: 'fetch' },
        },
      },
    ],
  },
});
