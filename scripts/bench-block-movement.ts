/**
 * What keeping block movement costs (issue 19), in Node on the wasm backend (the lab's CPU kernels,
 * one thread, as the tests run them):
 *   npx tsx scripts/bench-block-movement.ts
 * Real ResNet50 (random init, 7 classes): the copy of W₀ taken once per run, the measurement taken
 * after every epoch (median of 5), beside one full fine-tune step at 64 px, batch 16 (median of 3
 * after a warm-up). Prints the share of an epoch of FER2013's training split the measurement takes,
 * and the shortest epoch for which it stays under 2 %. Prints figures; asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { buildResNet50 } from '../src/ml/resnet50.ts';
import { useWasmBackend } from '../src/ml/testing/node-backend.ts';
import { BlockMovementTracker } from '../src/ml/train/block-movement.ts';
import { DEFAULT_VALIDATION_FRACTION } from '../src/shared/train-defaults.ts';
import { syntheticStep } from './bench/synthetic-step.ts';

const SIZE = 64;
const BATCH = 16;
/** FER2013's training images (the validation split is carved from them). */
const FER_TRAIN = 28_709;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

await useWasmBackend();
const model = buildResNet50({ numClasses: 7, seed: 1 });
const parameters = [...model.params.values()].reduce((n, v) => n + v.size, 0);
let tracker: BlockMovementTracker | null = null;
const captureMs = await timed(async () => (tracker = await BlockMovementTracker.capture(model)));
const step = syntheticStep(model, 'finetune', SIZE, BATCH);
await step.run();
const stepMs = median([await timed(() => step.run()), await timed(() => step.run()), await timed(() => step.run())]);
const measures: number[] = [];
let moved: Record<string, number> = {};
for (let i = 0; i < 5; i++) measures.push(await timed(async () => (moved = await (tracker as BlockMovementTracker).measure(model))));
const measureMs = median(measures);
const steps = Math.ceil((FER_TRAIN * (1 - DEFAULT_VALIDATION_FRACTION)) / BATCH);
console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, ResNet50 ${(parameters / 1e6).toFixed(1)} M parameters`);
console.log(`copy of W0: ${captureMs.toFixed(0)} ms once per run, ${((parameters * 4) / 2 ** 20).toFixed(0)} MiB held on the device`);
console.log(`measurement: ${measureMs.toFixed(0)} ms per epoch (median of 5: ${measures.map((m) => m.toFixed(0)).join(', ')})`);
console.log(
  `full fine-tune step: ${stepMs.toFixed(0)} ms (${SIZE} px, batch ${BATCH}); after 4 steps: ${JSON.stringify(moved, (_, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(3)) : v))}`,
);
console.log(
  `FER2013 epoch (${steps} steps): measuring adds ${((100 * measureMs) / (steps * stepMs)).toFixed(4)} %; under 2 % from ${Math.ceil(measureMs / (0.02 * stepMs))} steps per epoch`,
);
step.dispose();
(tracker as BlockMovementTracker | null)?.dispose();
model.dispose();
