import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchMetrics, EpochMetrics, TrainConfig } from '../../shared/types.ts';
import { DEFAULT_AUGMENT } from '../augment/draw.ts';
import type { ResNet50 } from '../model.ts';
import { trainRun, type TrainHooks, type TrainInternals } from './trainer.ts';
import { syntheticDataset, testConfig } from './testing/synthetic-dataset.ts';
import { buildTinyModel } from './testing/tiny-model.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = syntheticDataset({ train: 12, validation: 4 });

function read(model: ResNet50, name: string): number[] {
  return Array.from((model.params.get(name) ?? model.buffers.get(name))!.dataSync());
}

async function run(config: TrainConfig, hooks: TrainHooks = {}, internals: TrainInternals = {}) {
  const model = buildTinyModel({ numClasses: 3, seed: 5 });
  const batches: BatchMetrics[] = [];
  const onBatch = (m: BatchMetrics) => {
    batches.push(m);
    hooks.onBatch?.(m);
  };
  const result = await trainRun(model, data, config, { ...hooks, onBatch }, internals);
  return { model, result, batches };
}

const stable = (h: readonly EpochMetrics[]) => h.map(({ wallMs: _w, trainMs: _t, blockMovementMs: _m, ...rest }) => rest);

describe('trainRun', () => {
  it('is deterministic: the same seed gives the same metrics and weights (augmented, per step)', async () => {
    const config = testConfig('discriminative', { augment: DEFAULT_AUGMENT, classWeighted: true, schedule: { kind: 'cosine' } });
    const a = await run(config);
    const b = await run(config);
    expect(a.result.history).toHaveLength(2);
    expect(stable(b.result.history)).toEqual(stable(a.result.history));
    expect(b.batches.map((m) => [m.loss, m.accuracy])).toEqual(a.batches.map((m) => [m.loss, m.accuracy]));
    expect(read(b.model, 'layer3.0.conv1.weight')).toEqual(read(a.model, 'layer3.0.conv1.weight'));
    expect(a.result.history.map((e) => e.learningRateScale)).toEqual([1, 0.5]);
    expect(a.batches[0]).toMatchObject({ epoch: 1, batch: 1, batchesPerEpoch: 5 });
    a.model.dispose();
    b.model.dispose();
  });

  for (const [label, overrides] of [
    ['per step', { earlyStoppingPatience: 3, classWeighted: true, augment: DEFAULT_AUGMENT }],
    ['cached features', { regime: 'linear', learningRates: testConfig('linear').learningRates }],
  ] as const) {
    it(`holds the same number of tensors after epochs 1 and 2 and frees everything at the end (${label})`, async () => {
      const model = buildTinyModel({ numClasses: 3, seed: 5 });
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      await trainRun(model, data, testConfig('finetune', { epochs: 3, ...overrides }), {
        onEpoch: (_m, memory) => counts.push(memory.numTensors),
      });
      expect(counts).toHaveLength(3);
      expect(counts[1]).toBe(counts[0]);
      expect(counts[2]).toBe(counts[0]);
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    });
  }

  it('the cached linear probe trains the same fc as the per-step path with BN in inference mode', async () => {
    // With BN in inference mode the backbone is a fixed function, so the per-step path sees the very
    // features the cache holds; only then are the two paths the same computation.
    const features: [number, number][] = [];
    const cached = await run(testConfig('linear'), { onFeatures: (done, total) => features.push([done, total]) });
    // Progress while caching reaches every train + validation image, once.
    expect(features.at(-1)?.[0]).toBe(features.at(-1)?.[1]);
    expect(features.every(([done], i) => i === 0 || done > (features[i - 1] as [number, number])[0])).toBe(true);
    const perStep = await run(testConfig('linear', { exactSeedBehaviour: true }), {}, { backboneBnTraining: false });
    const fc = read(cached.model, 'fc.weight');
    const fresh = buildTinyModel({ numClasses: 3, seed: 5 });
    expect(fc).not.toEqual(read(fresh, 'fc.weight'));
    fresh.dispose();
    read(perStep.model, 'fc.weight').forEach((v, i) => expect(v).toBeCloseTo(fc[i] as number, 5));
    expect(read(cached.model, 'bn1.running_mean')).toEqual(new Array(4).fill(0));
    expect(perStep.result.history[1]!.validationLoss).toBeCloseTo(cached.result.history[1]!.validationLoss, 5);
    cached.model.dispose();
    perStep.model.dispose();
  });

  it("frozen-lower: frozen blocks keep their weights but their BN statistics move (the seed's train())", async () => {
    const { model } = await run(testConfig('frozen-lower', { epochs: 1 }));
    const fresh = buildTinyModel({ numClasses: 3, seed: 5 });
    expect(read(model, 'layer1.0.conv1.weight')).toEqual(read(fresh, 'layer1.0.conv1.weight'));
    expect(read(model, 'layer1.0.bn1.running_mean')).not.toEqual(read(fresh, 'layer1.0.bn1.running_mean'));
    expect(read(model, 'layer3.0.conv1.weight')).not.toEqual(read(fresh, 'layer3.0.conv1.weight'));
    model.dispose();
    fresh.dispose();
  });

  it('refuses a configuration in which nothing trains', async () => {
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    const frozen = { ...testConfig('linear').learningRates, fc: 0 };
    await expect(trainRun(model, data, testConfig('linear', { learningRates: frozen }))).rejects.toThrow(/nothing would train/);
    model.dispose();
  });

  it('stops between batches and keeps the finished epochs', async () => {
    const tensorsBefore = tf.memory().numTensors;
    // Batch metrics are read one step behind: once 2.1 is reported, 2.2 is already dispatched.
    let reported: BatchMetrics | null = null;
    const config = testConfig('finetune', { epochs: 3 });
    const { model, result, batches } = await run(config, {
      onBatch: (m) => (reported = m),
      shouldStop: () => reported?.epoch === 2,
    });
    expect(result.reason).toBe('stopped');
    expect(result.history.map((e) => e.epoch)).toEqual([1]);
    expect(batches.map((b) => `${b.epoch}.${b.batch}`)).toEqual(['1.1', '1.2', '1.3', '1.4', '1.5', '2.1', '2.2']);
    model.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('a stop mid-epoch with early stopping on restores the best finished epoch, not the half-trained weights', async () => {
    const m = buildTinyModel({ numClasses: 3, seed: 5 });
    let atEpoch1: number[] = [];
    let epoch = 0;
    const result = await trainRun(m, data, testConfig('finetune', { epochs: 3, earlyStoppingPatience: 5 }), {
      onEpoch: () => (atEpoch1 = read(m, 'layer4.0.conv1.weight')),
      onBatch: (b) => (epoch = b.epoch),
      shouldStop: () => epoch === 2,
    });
    expect([result.reason, result.bestEpoch]).toEqual(['stopped', 1]);
    expect(read(m, 'layer4.0.conv1.weight')).toEqual(atEpoch1);
    m.dispose();
  });

  it('early stopping ends the run and restores the best epoch’s weights and BN buffers', async () => {
    const seen: Record<string, number[]>[] = [];
    const snapshot = (model: ResNet50) => ({ fc: read(model, 'fc.weight'), rm: read(model, 'layer2.0.bn1.running_mean') });
    // A learning rate far too high makes validation loss bounce, so the best epoch is not the last.
    const config = testConfig('finetune', {
      epochs: 8,
      earlyStoppingPatience: 2,
      learningRates: { ...testConfig('finetune').learningRates, fc: 3, layer4: 3 },
    });
    const m = buildTinyModel({ numClasses: 3, seed: 5 });
    const result = await trainRun(m, data, config, { onEpoch: () => seen.push(snapshot(m)) });
    const losses = result.history.map((e) => e.validationLoss);
    expect(result.bestEpoch).toBe(losses.indexOf(Math.min(...losses)) + 1);
    expect(result.reason).toBe('early-stopped');
    expect(result.history.length).toBe(result.bestEpoch + 2);
    expect(snapshot(m)).toEqual(seen[result.bestEpoch - 1]);
    expect(snapshot(m)).not.toEqual(seen[seen.length - 1]);
    m.dispose();
  });
});
