/**
 * Packs the GPU benchmark into one small folder for a machine with a GPU that may reach no
 * registry: `bench.mjs` (the step benchmark with tfjs and the lab's engine bundled in), Dawn for
 * Node's Linux x64 binary, and the PyTorch step beside it.
 *
 *   npm run bench:gpu:bundle [-- <outdir>]      (default bench-results/gpu-bench)
 *   then, there:  node bench.mjs [--size 224] [--batch 32] [--regime all]   (Node ≥ 20; PyTorch optional)
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = resolve(process.argv[2] ?? join(root, 'bench-results/gpu-bench'));
const dawn = join(root, 'node_modules/webgpu');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'node_modules/webgpu/dist/linux-x64'), { recursive: true });
await build({
  entryPoints: [join(here, 'webgpu-step.ts')],
  outfile: join(out, 'bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Dawn is a native addon: it stays a package next to the bundle, loaded at run time.
  external: ['webgpu'],
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The bundle looks for torch_step.py beside itself (import.meta.url is bench.mjs there).
copyFileSync(join(root, 'scripts/bench/torch_step.py'), join(out, 'torch_step.py'));
for (const file of ['package.json', 'index.js', 'LICENSE.md', 'dist/linux-x64/dawn.node']) {
  copyFileSync(join(dawn, file), join(out, 'node_modules/webgpu', file));
}
writeFileSync(
  join(out, 'README.txt'),
  'Expression Lab GPU step benchmark (Linux x64, Node >= 20).\n' +
    '  node bench.mjs                (224 px, batch 32, every regime; options: --regime, --size, --batch, --steps,\n' +
    '                                 --kernels both|lab|built-in, --conv-split never|auto, --no-torch)\n' +
    "Times the lab's ResNet50 training step on tfjs-backend-webgpu (Dawn for Node), on tfjs-webgpu's kernels and on the\n" +
    "lab's, with each kernel's GPU time from one profiled step, then torch_step.py on the same GPU\n" +
    'when PyTorch is installed (/usr/bin/python3 or python3). Needs a Vulkan driver (libvulkan1) for Dawn to see the GPU.\n',
);
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
let total = 0;
for (const file of files(out)) {
  const bytes = statSync(file).size;
  total += bytes;
  console.log(`${(bytes / 2 ** 20).toFixed(1).padStart(6)} MB  ${relative(out, file)}`);
}
console.log(`${(total / 2 ** 20).toFixed(1).padStart(6)} MB  in ${out}`);
