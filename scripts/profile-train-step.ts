/**
 * Where a WASM training step spends its time, per kernel (tf.profile):
 *   npx tsx scripts/profile-train-step.ts [regime] [size] [--browser] [--backend=wasm|webgpu] [--batch=B] [--cpu=simd|fma] [--xnnpack=all] [--webgpu-kernels=built-in]
 * (default: finetune 64, batch 16). Real ResNet50 (random init), two warm-up steps, three timed steps
 * (one on WebGPU), one profiled step. On WebGPU each kernel's time is its GPU time from timestamp
 * queries (Chromium is started with Dawn's unsafe APIs, which allow them).
 * In Node on one thread by default; with --browser in headless Chromium on the lab's own backend
 * (all cores), as the app runs. Prints the kernels and the convolution shapes by total time;
 * asserts nothing. --cpu forces the CPU kernels' instruction set, --xnnpack=all gives tfjs-wasm's own
 * XNNPACK every core (the app gives it one: see src/ml/backend.ts), --webgpu-kernels=built-in runs
 * tfjs-webgpu's own kernels without the lab's (src/ml/webgpu); all --browser only.
 */
import { buildResNet50 } from '../src/ml/resnet50.ts';
import { useWasmBackend } from '../src/ml/testing/node-backend.ts';
import { REGIMES, type RegimeId } from '../src/shared/regimes.ts';
import { formatProfile, profileStep, type StepProfile } from './bench/kernel-profile.ts';
import { runBenchPage } from './browser-bench/run-page.ts';

const args = process.argv.slice(2);
const browser = args.includes('--browser');
const [regimeArg, sizeArg] = args.filter((a) => !a.startsWith('--'));
const regime = (regimeArg ?? 'finetune') as RegimeId;
const size = Number(sizeArg ?? 64);
if (!(regime in REGIMES)) throw new Error(`unknown regime ${regime}; one of ${Object.keys(REGIMES).join(', ')}`);

if (browser) {
  const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const backend = option('backend') ?? 'wasm';
  const batch = option('batch') ?? '16';
  // prettier-ignore
  const query = { regime, size: String(size), batch, backend, timed: backend === 'webgpu' ? '1' : '3', cpu: option('cpu') ?? 'auto', xnnpack: option('xnnpack') ?? 'one', webgpuKernels: option('webgpu-kernels') ?? 'lab' };
  const p = await runBenchPage<StepProfile & { threads: number | null; variant: string }>('scripts/browser-bench/profile.html', query);
  const xnnpack =
    backend === 'wasm'
      ? `, XNNPACK ${query.xnnpack === 'all' ? 'all cores' : '1 thread'}`
      : `, ${query.webgpuKernels === 'built-in' ? "tfjs-webgpu's kernels only" : "the lab's WebGPU kernels"}`;
  console.log(formatProfile(p, `${regime}, ${size} px, batch ${batch}, Chromium, ${p.variant}${xnnpack}`).join('\n'));
} else {
  await useWasmBackend();
  const model = buildResNet50({ numClasses: 7, seed: 1 });
  const p = await profileStep(model, regime, size, 3);
  console.log(formatProfile(p, `${regime}, ${size} px, batch 16, Node WASM, 1 thread`).join('\n'));
  model.dispose();
}
