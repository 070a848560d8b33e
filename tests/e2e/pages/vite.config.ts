import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** Test-only pages (not part of the app), built into node_modules/.cache so they never ship. */
export default defineConfig({
  root: resolve(import.meta.dirname),
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, '../../../node_modules/.cache/e2e-pages'),
    emptyOutDir: true,
    minify: false,
    target: 'es2022',
    rollupOptions: { input: { golden: resolve(import.meta.dirname, 'golden.html') } },
  },
});
