import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Simulation-backed tests take ~20-30 s alone and several times that when CI runs them in
    // parallel on two cores; the timeout is a hang guard, not an assertion.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
