/**
 * Where a WASM training step spends its time, per kernel (tf.profile):
 *   npx tsx scripts/profile-train-step.ts [regime] [size] [--browser] [--cpu=simd|fma] [--xnnpack=all]   (default: finetune 64)
 * Real ResNet50 (random init), batch 16, two warm-up steps, three timed steps, one profiled step.
 * In Node on one thread by default; with --browser in headless Chromium on the lab's own backend
 * (all cores), as the app runs. Prints the kernels and the convolution shapes by total time;
 * asserts nothing. --cpu forces the CPU kernels' instruction set, --xnnpack=all gives tfjs-wasm's own
 * XNNPACK every core (the app gives it one: see src/ml/backend.ts); both --browser only.
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
  const query = { regime, size: String(size), cpu: option('cpu') ?? 'auto', xnnpack: option('xnnpack') ?? 'one' };
  const p = await runBenchPage<StepProfile & { threads: number | null; variant: string }>('scripts/browser-bench/profile.html', query);
  console.log(
    formatProfile(
      p,
      `${regime}, ${size} px, batch 16, Chromium, ${p.variant}, XNNPACK ${query.xnnpack === 'all' ? 'all cores' : '1 thread'}`,
    ).join('\n'),
  );
} else {
  await useWasmBackend();
  const model = buildResNet50({ numClasses: 7, seed: 1 });
  const p = await profileStep(model, regime, size, 3);
  console.log(formatProfile(p, `${regime}, ${size} px, batch 16, Node WASM, 1 thread`).join('\n'));
  model.dispose();
}
