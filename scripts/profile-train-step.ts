/**
 * Where a wasm training step spends its time, per kernel (tf.profile), in Node on one thread:
 *   npx tsx scripts/profile-train-step.ts [regime] [size]   (default: finetune 64)
 * Real ResNet50 (random init), batch 16, one warm-up step, then one profiled step.
 * Prints the kernels by total time; asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { buildResNet50 } from '../src/ml/resnet50.ts';
import { useWasmBackend } from '../src/ml/testing/node-backend.ts';
import { REGIMES, type RegimeId } from '../src/shared/regimes.ts';
import { syntheticStep } from './bench/synthetic-step.ts';

const regime = (process.argv[2] ?? 'finetune') as RegimeId;
const size = Number(process.argv[3] ?? 64);
if (!(regime in REGIMES)) throw new Error(`unknown regime ${regime}; one of ${Object.keys(REGIMES).join(', ')}`);

await useWasmBackend();
const model = buildResNet50({ numClasses: 7, seed: 1 });
const step = syntheticStep(model, regime, size, 16);
await step.run();
const started = performance.now();
const info = await tf.profile(() => step.run());
const wall = performance.now() - started;
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  entry.ms += Number(k.kernelTimeMs);
  entry.calls += 1;
  byKernel.set(k.name, entry);
}
const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
console.log(`${regime}, ${size} px, batch 16, 1 thread: step ${wall.toFixed(0)} ms wall (profiled), kernels ${total.toFixed(0)} ms`);
for (const [name, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) {
  console.log(
    `${name.padEnd(24)} ${e.ms.toFixed(0).padStart(6)} ms ${((100 * e.ms) / total).toFixed(1).padStart(5)}%  ${String(e.calls).padStart(5)} calls`,
  );
}
step.dispose();
model.dispose();
