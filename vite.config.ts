import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { cpuKernelsPlugin } from './scripts/cpu-kernels/vite-plugin.ts';

/** Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer). */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Every URL in the build is relative to the page, so `dist/` works at any path: a server's root, a
  // GitHub Pages project site, a university's ~user/ folder. Workers, WASM binaries and the CPU kernels
  // follow the same rule (src/worker/app-base.ts).
  base: './',
  plugins: [
    react(),
    // The lab's own CPU kernels, AssemblyScript compiled to WebAssembly by this build (src/ml/cpu).
    cpuKernelsPlugin(),
    // tfjs-backend-wasm fetches its .wasm binaries at run time; the app serves them itself (setWasmPaths).
    viteStaticCopy({
      targets: [{ src: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm', dest: 'tfjs-wasm' }],
    }),
  ],
  worker: { format: 'es', plugins: () => [cpuKernelsPlugin()] },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: {
    target: 'es2022',
    // tfjs-backend-wasm starts its pthread workers from its factory's source text (Function.toString);
    // minified, that text references renamed outer names and every WASM thread dies on start.
    minify: false,
    chunkSizeWarningLimit: 4096,
    // index.html is the app; lab.html is the page the `lab` CLI drives (same worker, same protocol).
    rollupOptions: { input: { app: 'index.html', lab: 'lab.html' } },
  },
});
