import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { viteStaticCopy } from 'vite-plugin-static-copy';
import { buildIdPlugin } from './scripts/build/build-id.ts';
import { cpuKernelsPlugin } from './scripts/cpu-kernels/vite-plugin.ts';
import { ISOLATION_HEADERS } from './src/service-worker/isolation-headers.ts';

/** The largest file the service worker precaches: the training worker's chunk (tfjs, unminified) is ~4 MB. */
const PRECACHE_MAX_BYTES = 32 * 1024 * 1024;

export default defineConfig({
  // Every URL in the build is relative to the page, so `dist/` works at any path: a server's root, a
  // GitHub Pages project site, a university's ~user/ folder. Workers, WASM binaries and the CPU kernels
  // follow the same rule (src/worker/app-base.ts).
  base: './',
  plugins: [
    react(),
    // <meta name="expression-lab-build">: which build a browser runs (scripts/build/build-id.ts).
    buildIdPlugin(),
    // The lab's own CPU kernels, AssemblyScript compiled to WebAssembly by this build (src/ml/cpu).
    cpuKernelsPlugin(),
    // tfjs-backend-wasm fetches its .wasm binaries at run time; the app serves them itself (setWasmPaths).
    viteStaticCopy({
      targets: [{ src: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm', dest: 'tfjs-wasm' }],
    }),
    // The service worker (src/service-worker/sw.ts): COOP/COEP where the server sends none, and the
    // app offline after a first visit. Workbox's precache manifest is injected into it at build time;
    // the page registers it itself (src/app/service-worker.ts).
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/service-worker',
      filename: 'sw.ts',
      injectRegister: false,
      injectManifest: {
        rollupFormat: 'iife',
        globPatterns: ['**/*.{html,js,css,wasm,svg,webmanifest}'],
        maximumFileSizeToCacheInBytes: PRECACHE_MAX_BYTES,
      },
      manifest: {
        name: 'Expression Lab',
        short_name: 'Expression Lab',
        description: 'Fine-tune an ImageNet-pretrained ResNet50 on facial expressions in your browser.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1f2937',
        icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
    }),
  ],
  worker: { format: 'es', plugins: () => [cpuKernelsPlugin()] },
  // Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer).
  server: { headers: { ...ISOLATION_HEADERS } },
  preview: { headers: { ...ISOLATION_HEADERS } },
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
