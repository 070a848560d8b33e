import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochMetrics, TrainConfig } from '../../shared/types.ts';
import { DEFAULT_AUGMENT } from '../augment/draw.ts';
import { applyTrainingState, readTrainingState, MOMENTUM_PREFIX, type HostValues } from './checkpoint.ts';
import { syntheticDataset, testConfig } from './testing/synthetic-dataset.ts';
import { buildTinyModel } from './testing/tiny-model.ts';
import { trainRun } from './trainer.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = syntheticDataset({ train: 12, validation: 4 });
const stable = (h: readonly EpochMetrics[]) => h.map(({ wallMs: _w, trainMs: _t, blockMovementMs: _m, ...rest }) => rest);
type Saved = Map<string, HostValues>;

/** Trains `config` from scratch, keeping the training state after every epoch as a checkpoint would. */
async function uninterrupted(config: TrainConfig) {
  const model = buildTinyModel({ numClasses: 3, seed: 5 });
  const states: Saved[] = [];
  const memory: number[] = [];
  const result = await trainRun(model, data, config, {
    onEpoch: (_m, mem) => memory.push(mem.numTensors),
    onCheckpoint: async ({ model: m, optimizer }) => {
      states.push(new Map((await readTrainingState(m, optimizer)).map((t) => [t.name, { shape: t.shape, values: t.values.slice() }])));
    },
  });
  const weights = (await readTrainingState(model, null)).map((t) => Array.from(t.values));
  model.dispose();
  return { result, states, memory, weights };
}

describe('resuming a run from a checkpoint', () => {
  for (const [label, config] of [
    [
      'finetune, augmented, cosine schedule, class-weighted',
      testConfig('finetune', { epochs: 3, augment: DEFAULT_AUGMENT, schedule: { kind: 'cosine' }, classWeighted: true }),
    ],
    ['linear probe on cached features, early stopping on', testConfig('linear', { epochs: 3, earlyStoppingPatience: 5 })],
  ] as const) {
    it(`ends exactly where the uninterrupted run ends (${label})`, async () => {
      const full = await uninterrupted(config);
      expect(full.result.history).toHaveLength(3);
      const saved = full.states[0] as Saved;
      expect([...saved.keys()].some((k) => k.startsWith(MOMENTUM_PREFIX))).toBe(true);
      // A fresh model (other seed: other weights) given the epoch-1 checkpoint, then resumed.
      const model = buildTinyModel({ numClasses: 3, seed: 99 });
      applyTrainingState(model, null, saved);
      const momentum = new Map([...saved].filter(([k]) => k.startsWith(MOMENTUM_PREFIX)));
      const epochs: number[] = [];
      const resumed = await trainRun(
        model,
        data,
        config,
        { onEpoch: (m) => epochs.push(m.epoch) },
        {},
        {
          history: full.result.history.slice(0, 1),
          bestEpoch: 1,
          momentum,
          bestWeights: saved,
          startModel: () => buildTinyModel({ numClasses: 3, seed: 5 }),
        },
      );
      expect(epochs).toEqual([2, 3]);
      expect(stable(resumed.history)).toEqual(stable(full.result.history));
      expect(resumed.bestEpoch).toBe(full.result.bestEpoch);
      expect((await readTrainingState(model, null)).map((t) => Array.from(t.values))).toEqual(full.weights);
      model.dispose();
    });
  }

  it('without momentum in the checkpoint the resumed run differs (the buffers matter)', async () => {
    const config = testConfig('finetune', { epochs: 2 });
    const full = await uninterrupted(config);
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    applyTrainingState(model, null, full.states[0] as Saved);
    const resumed = await trainRun(
      model,
      data,
      config,
      {},
      {},
      { history: full.result.history.slice(0, 1), bestEpoch: 1, momentum: new Map(), bestWeights: null },
    );
    expect(resumed.history[1]?.trainLoss).not.toBe(full.result.history[1]?.trainLoss);
    model.dispose();
  });

  it('holds as many tensors after epoch 3 as after epoch 1 with a checkpoint read every epoch, and frees all at the end', async () => {
    const before = tf.memory().numTensors;
    const full = await uninterrupted(testConfig('discriminative', { epochs: 3 }));
    expect(full.memory).toHaveLength(3);
    expect(full.memory[2]).toBe(full.memory[0]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a checkpoint that lacks a tensor or has the wrong size, before changing any weight', () => {
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    const first = model.params.get('conv1.weight') as tf.Variable;
    const original = Array.from(first.dataSync());
    const saved = new Map<string, HostValues>([['conv1.weight', { shape: first.shape, values: new Float32Array(first.size) }]]);
    expect(() => applyTrainingState(model, null, saved)).toThrow(/has no tensor/);
    expect(Array.from(first.dataSync())).toEqual(original);
    model.dispose();
  });
});
