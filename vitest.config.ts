import { defineConfig } from 'vitest/config';
import { cpuKernelsPlugin } from './scripts/cpu-kernels/vite-plugin.ts';

export default defineConfig({
  // Resolves virtual:cpu-kernels for code that imports it; Node tests compile the kernels themselves.
  plugins: [cpuKernelsPlugin()],
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
