/**
 * The lab's training step on a real GPU outside the browser: tfjs-backend-webgpu on Dawn for Node
 * (the `webgpu` npm package), the same ResNet50, parameter groups, momentum SGD and step as the
 * worker, timed beside PyTorch on the same GPU when PyTorch is installed.
 *
 *   npm run bench:gpu -- [--regime discriminative] [--size 224] [--batch 32] [--steps 5] [--dawn backend=vulkan]
 *
 * Runs from the repository, or from the folder `npm run bench:gpu:bundle` writes (for a GPU machine
 * that reaches no registry: `node bench.mjs …` there). With no WebGPU adapter it says so and exits 2.
 * Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REGIME_IDS, type RegimeId } from '../../src/shared/regimes.ts';

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'discriminative' },
    size: { type: 'string', default: '224' },
    batch: { type: 'string', default: '32' },
    steps: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    dawn: { type: 'string', multiple: true, default: [] },
    'no-torch': { type: 'boolean', default: false },
  },
});
const regime = values.regime as RegimeId;
if (!REGIME_IDS.includes(regime)) throw new Error(`--regime must be one of ${REGIME_IDS.join(', ')}`);
const size = Number(values.size);
const batch = Number(values.batch);
const steps = Number(values.steps);
const warmup = Number(values.warmup);

/** Dawn for Node; its adapter becomes `navigator.gpu` before tfjs-backend-webgpu looks for one. */
async function startDawn(): Promise<GPUAdapterInfo | null> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create(values.dawn);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  // A software fallback adapter (if this Dawn build has one) still runs the script, labelled as such.
  const adapter =
    (await gpu.requestAdapter({ powerPreference: 'high-performance' })) ?? (await gpu.requestAdapter({ forceFallbackAdapter: true }));
  return adapter ? adapter.info : null;
}

/** PyTorch's same step on the same GPU (scripts/bench/torch_step.py, beside this file in the bundle), or why not. */
function torchStep(rates: Record<string, number>): Record<string, unknown> {
  const here = dirname(fileURLToPath(import.meta.url));
  const script = [join(here, 'torch_step.py'), join(here, '../bench/torch_step.py')].find((path) => existsSync(path));
  const python = process.env.BENCH_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
  if (!script) return { error: 'torch_step.py is missing' };
  const args = [
    script,
    '--rates',
    JSON.stringify(rates),
    '--size',
    `${size}`,
    '--batch',
    `${batch}`,
    '--steps',
    `${steps}`,
    '--device',
    'auto',
  ];
  try {
    const out = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  } catch (err) {
    const code = (err as { status?: number }).status;
    return { error: code === 3 ? `${python} cannot import torch and torchvision` : String(err) };
  }
}

const info = await startDawn();
if (!info) {
  console.log(
    "No WebGPU adapter: Dawn for Node found no usable GPU here (on Linux it needs the GPU's Vulkan driver and libvulkan1; its messages above say what it tried). Nothing was timed.",
  );
  process.exit(2);
}
console.log(
  `adapter: ${[info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ')}${info.isFallbackAdapter ? ' (software fallback)' : ''}`,
);

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-webgpu');
const { buildResNet50 } = await import('../../src/ml/resnet50.ts');
const { syntheticStep } = await import('../bench/synthetic-step.ts');
const { REGIMES } = await import('../../src/shared/regimes.ts');
if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs-backend-webgpu did not start on this adapter');
await tf.ready();

const model = buildResNet50({ numClasses: 7, seed: 1 });
const step = syntheticStep(model, regime, size, batch);
const compileStarted = performance.now();
for (let i = 0; i < warmup; i++) await step.run();
const warmupMs = performance.now() - compileStarted;
const started = performance.now();
for (let i = 0; i < steps; i++) await step.run();
const ms = (performance.now() - started) / steps;
const ours = {
  framework: `tfjs ${tf.version.tfjs} webgpu (Dawn for Node)`,
  regime,
  size,
  batch,
  steps,
  warmup_ms: Math.round(warmupMs),
  ms_per_step: Number(ms.toFixed(2)),
  images_per_s: Number(((batch * 1000) / ms).toFixed(1)),
};
console.log(JSON.stringify(ours));
step.dispose();
model.dispose();

if (!values['no-torch']) {
  const torch = torchStep(REGIMES[regime].learningRates);
  console.log(JSON.stringify(torch));
  if (typeof torch.msPerStep === 'number') {
    console.log(
      `ours / PyTorch time per step: ${(ms / torch.msPerStep).toFixed(2)}x (${regime}, ${size} px, batch ${batch}, ${String(torch.device)})`,
    );
  } else console.log(`PyTorch was not timed: ${String(torch.error ?? 'no result')}`);
}
process.exit(0);
