import { defineConfig } from 'vitest/config';

// Two projects: the client tests run in jsdom, every other test in Node (unit, integration,
// telephony, e2e, bench smoke runs and any new folder). The environment comes from the folder,
// not from per-file pragmas.
const CLIENT_TESTS = 'tests/client/**/*.test.{ts,tsx}';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/**/*.test.{ts,tsx}'],
          exclude: [CLIENT_TESTS, '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: [CLIENT_TESTS],
        },
      },
    ],
  },
});
