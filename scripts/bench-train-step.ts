/**
 * Training-step benchmark in Node on the wasm backend (single thread, as the tests run it):
 *   npx tsx scripts/bench-train-step.ts [steps|probe]   (default: both)
 * 1. ms per SGD step for each regime: real ResNet50 (random init), 64 px, batch 16, 1 warm-up + 3 timed.
 * 2. Linear probe, 10 epochs on the demo dataset: cached features vs the backbone every step.
 * Prints figures; asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { createDemoDataset } from '../src/data/demo-dataset.ts';
import { buildResNet50 } from '../src/ml/resnet50.ts';
import { useWasmBackend } from '../src/ml/testing/node-backend.ts';
import { trainRun } from '../src/ml/train/trainer.ts';
import { REGIME_IDS, REGIMES } from '../src/shared/regimes.ts';
import type { TrainConfig } from '../src/shared/types.ts';
import { syntheticStep } from './bench/synthetic-step.ts';

const SIZE = 64;
const BATCH = 16;

async function stepTimes(): Promise<void> {
  const model = buildResNet50({ numClasses: 7, seed: 1 });
  for (const regime of REGIME_IDS) {
    const step = syntheticStep(model, regime, SIZE, BATCH);
    await step.run();
    const started = performance.now();
    for (let i = 0; i < 3; i++) await step.run();
    console.log(`${regime.padEnd(15)} ${((performance.now() - started) / 3).toFixed(0).padStart(6)} ms/step  (${SIZE} px, batch ${BATCH})`);
    step.dispose();
  }
  model.dispose();
}

async function linearProbe(exactSeedBehaviour: boolean): Promise<void> {
  const dataset = createDemoDataset(7);
  const model = buildResNet50({ numClasses: dataset.classes.length, seed: 1 });
  const off = { enabled: false } as const;
  const config: TrainConfig = {
    regime: 'linear',
    learningRates: REGIMES.linear.learningRates,
    momentum: 0.9,
    batchSize: BATCH,
    epochs: 10,
    inputSize: SIZE,
    seed: 3,
    augment: { hflip: { ...off, p: 0.2 }, rotate: { ...off, degrees: 5 }, perspective: { ...off, distortion: 0.1, p: 0.25 } },
    exactSeedBehaviour,
    schedule: { kind: 'constant' },
    earlyStoppingPatience: 0,
    classWeighted: false,
    resizeMode: 'stretch',
  };
  const result = await trainRun(model, dataset, config);
  const perEpoch = result.history.map((e) => e.wallMs.toFixed(0)).join(' ');
  const label = exactSeedBehaviour ? 'per step (BN train)' : 'cached features';
  console.log(`linear probe, ${label.padEnd(20)} ${result.totalMs.toFixed(0).padStart(7)} ms total for 10 epochs; epochs ms: ${perEpoch}`);
  console.log(
    `  (${dataset.splits.train.length} train / ${dataset.splits.validation.length} validation images, final val acc ${result.history.at(-1)?.validationAccuracy.toFixed(3)})`,
  );
  model.dispose();
}

await useWasmBackend();
console.log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`);
const only = process.argv[2];
if (only !== 'probe') await stepTimes();
if (only !== 'steps') {
  await linearProbe(false);
  await linearProbe(true);
}
