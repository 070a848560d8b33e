/**
 * The lab's training step on a real GPU outside the browser: tfjs-backend-webgpu on Dawn for Node
 * (the `webgpu` npm package), the same ResNet50, parameter groups, momentum SGD and step as the
 * worker, timed beside PyTorch on the same GPU when PyTorch is installed.
 *
 *   npm run bench:gpu -- [--regime all|finetune,discriminative,…] [--size 224] [--batch 32] [--steps 5]
 *                        [--kernels both|lab|built-in] [--conv-split never|auto] [--dawn backend=vulkan]
 *
 * For each regime and kernel set (the lab's WebGPU kernels in src/ml/webgpu, or tfjs-webgpu's own
 * alone): two warm-up steps, `steps` timed ones, then one step under tf.profile, whose GPU time
 * per kernel and per convolution shape is printed beside the step (timestamp queries: Dawn's
 * unsafe APIs are enabled for them). Runs from the repository, or from the folder
 * `npm run bench:gpu:bundle` writes (for a GPU machine that reaches no registry: `node bench.mjs …`
 * there). With no WebGPU adapter it says so and exits 2. Prints figures; asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REGIME_IDS, type RegimeId } from '../../src/shared/regimes.ts';

const { values } = parseArgs({
  options: {
    regime: { type: 'string', default: 'all' },
    size: { type: 'string', default: '224' },
    batch: { type: 'string', default: '32' },
    steps: { type: 'string', default: '5' },
    kernels: { type: 'string', default: 'both' },
    'conv-split': { type: 'string', default: 'never' },
    dawn: { type: 'string', multiple: true, default: [] },
    'no-torch': { type: 'boolean', default: false },
  },
});
const regimes = (values.regime === 'all' ? REGIME_IDS : String(values.regime).split(',')) as RegimeId[];
for (const r of regimes) if (!REGIME_IDS.includes(r)) throw new Error(`--regime: "${r}" is not all or one of ${REGIME_IDS.join(', ')}`);
const kernelSets = (values.kernels === 'both' ? ['built-in', 'lab'] : [values.kernels]) as ('lab' | 'built-in')[];
for (const k of kernelSets) if (k !== 'lab' && k !== 'built-in') throw new Error('--kernels must be both, lab or built-in');
const size = Number(values.size);
const batch = Number(values.batch);
const steps = Number(values.steps);

/** Dawn for Node; its adapter becomes `navigator.gpu` before tfjs-backend-webgpu looks for one. */
async function startDawn(): Promise<GPUAdapterInfo | null> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  // Timestamp queries (tf.profile's GPU time per kernel) are among Dawn's "unsafe" APIs.
  const gpu = create(['enable-dawn-features=allow_unsafe_apis', ...values.dawn]);
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
const { formatProfile, profileStep } = await import('../bench/kernel-profile.ts');
const { REGIMES } = await import('../../src/shared/regimes.ts');
const { registerWebGpuTrainingKernels, restoreBuiltInWebGpuKernels } = await import('../../src/ml/webgpu/register.ts');
const { WEBGPU_CONV_SPLIT_FLAG } = await import('../../src/ml/webgpu/conv2d.ts');
if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs-backend-webgpu did not start on this adapter');
await tf.ready();
tf.env().set(WEBGPU_CONV_SPLIT_FLAG, values['conv-split']);

const model = buildResNet50({ numClasses: 7, seed: 1 });
const summary: string[] = [];
for (const regime of regimes) {
  const ms: Partial<Record<'lab' | 'built-in', number>> = {};
  for (const kernels of kernelSets) {
    if (kernels === 'lab') registerWebGpuTrainingKernels();
    else restoreBuiltInWebGpuKernels();
    const p = await profileStep(model, regime, size, steps, batch);
    const mean = p.stepsMs.reduce((a, b) => a + b, 0) / p.stepsMs.length;
    ms[kernels] = mean;
    const which = kernels === 'lab' ? "the lab's WebGPU kernels" : "tfjs-webgpu's own kernels";
    console.log(formatProfile(p, `${regime}, ${size} px, batch ${batch}, ${which}`, 12).join('\n'));
    console.log(
      JSON.stringify({
        framework: `tfjs ${tf.version.tfjs} webgpu (Dawn for Node)`,
        kernels,
        convSplit: values['conv-split'],
        regime,
        size,
        batch,
        steps,
        ms_per_step: Number(mean.toFixed(2)),
        min_ms_per_step: Number(Math.min(...p.stepsMs).toFixed(2)),
        images_per_s: Number(((batch * 1000) / mean).toFixed(1)),
      }),
    );
  }
  const line = [`${regime}, ${size} px, batch ${batch}:`];
  if (ms.lab !== undefined && ms['built-in'] !== undefined)
    line.push(
      `lab kernels ${ms.lab.toFixed(1)} ms vs tfjs-webgpu's ${ms['built-in'].toFixed(1)} ms (${(ms['built-in'] / ms.lab).toFixed(2)}x faster)`,
    );
  if (!values['no-torch']) {
    const torch = torchStep(REGIMES[regime].learningRates);
    console.log(JSON.stringify(torch));
    const ours = ms.lab ?? ms['built-in'] ?? NaN;
    if (typeof torch.msPerStep === 'number')
      line.push(
        `ours ${ours.toFixed(1)} ms / PyTorch ${torch.msPerStep.toFixed(1)} ms (${String(torch.device)}): ${(torch.msPerStep / ours).toFixed(2)}x PyTorch's speed`,
      );
    else line.push(`PyTorch was not timed: ${String(torch.error ?? 'no result')}`);
  }
  summary.push(line.join('; '));
}
model.dispose();
console.log(['', 'summary:', ...summary].join('\n'));
process.exit(0);
