import { defineConfig } from 'vitest/config';
import { nodeProblem } from './scripts/node-version.mjs';

// The tests need what the app needs (scripts/node-version.mjs): say so before any test fails obscurely.
const tooOld = nodeProblem('app');
if (tooOld) throw new Error(tooOld);

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.ts', 'hub/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and crash tests spawn real processes; two cores do not like more than two files at once.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
