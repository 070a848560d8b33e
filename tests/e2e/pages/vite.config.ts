import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { cpuKernelsPlugin } from '../../../scripts/cpu-kernels/vite-plugin.ts';

/** Test-only pages (not part of the app), built into node_modules/.cache so they never ship. */
export default defineConfig({
  root: resolve(import.meta.dirname),
  logLevel: 'warn',
  // WASM as the app runs it: the lab's CPU kernels, tfjs-backend-wasm's binaries beside the page.
  plugins: [
    cpuKernelsPlugin(),
    viteStaticCopy({
      targets: [
        { src: resolve(import.meta.dirname, '../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm'), dest: 'tfjs-wasm' },
      ],
    }),
  ],
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, '../../../node_modules/.cache/e2e-pages'),
    emptyOutDir: true,
    minify: false,
    target: 'es2022',
    rollupOptions: {
      input: {
        golden: resolve(import.meta.dirname, 'golden.html'),
        gradCam: resolve(import.meta.dirname, 'gradcam.html'),
        convProducts: resolve(import.meta.dirname, 'conv-products.html'),
      },
    },
  },
});
