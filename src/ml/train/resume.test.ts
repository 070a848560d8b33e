import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchMetrics, EpochMetrics, EpochProgress, TrainConfig } from '../../shared/types.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';
import { DEFAULT_AUGMENT } from '../augment/draw.ts';
import { applyTrainingState, readTrainingState, MOMENTUM_PREFIX, TrainingSnapshot, type HostValues } from './checkpoint.ts';
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

  for (const [label, config, watched] of [
    [
      'finetune, augmented, cosine schedule, class-weighted',
      testConfig('finetune', { epochs: 2, augment: DEFAULT_AUGMENT, schedule: { kind: 'cosine' }, classWeighted: true }),
      'layer4.0.conv1.weight',
    ],
    ['linear probe on cached features', testConfig('linear', { epochs: 2 }), 'fc.weight'],
  ] as const) {
    it(`resumed from a mid-epoch checkpoint, continues with the next batch and ends exactly where the uninterrupted run ends (${label})`, async () => {
      const tensorsBefore = tf.memory().numTensors;
      const model = buildTinyModel({ numClasses: 3, seed: 5 });
      const batches: BatchMetrics[] = [];
      const taken: { progress: EpochProgress; at: number[]; saved: Promise<Saved>; batchesBefore: number }[] = [];
      const full = await trainRun(model, data, config, {
        onBatch: (m) => batches.push(m),
        midEpochCheckpointDue: () => true,
        onMidEpochCheckpoint: ({ progress, model: m, optimizer }) => {
          const snapshot = TrainingSnapshot.take(m, optimizer);
          // Read later, while training goes on: the snapshot must still hold this boundary's values.
          const saved = snapshot.read(yieldToEventLoop).then(async (blob) => {
            snapshot.dispose();
            const values = new Float32Array(await blob.arrayBuffer());
            return new Map(
              snapshot.entries.map((e) => [e.name, { shape: e.shape, values: values.subarray(e.offset, e.offset + e.length) }]),
            );
          });
          const at = Array.from((m.params.get(watched) as tf.Variable).dataSync());
          taken.push({ progress, at, saved, batchesBefore: batches.length });
        },
      });
      const weights = (await readTrainingState(model, null)).map((t) => Array.from(t.values));
      model.dispose();
      // 36 images in batches of 8: 5 batches an epoch, so 4 boundaries inside each of the 2 epochs.
      expect(taken.map((t) => `${t.progress.epoch}.${t.progress.batchesDone}`)).toEqual([
        '1.1',
        '1.2',
        '1.3',
        '1.4',
        '2.1',
        '2.2',
        '2.3',
        '2.4',
      ]);
      for (const t of taken) {
        const saved = await t.saved;
        expect(Array.from(saved.get(watched)!.values)).toEqual(t.at);
        expect([...saved.keys()].some((k) => k.startsWith(MOMENTUM_PREFIX))).toBe(true);
      }
      for (const t of [taken[1]!, taken[6]!]) {
        const saved = await t.saved;
        const resumedModel = buildTinyModel({ numClasses: 3, seed: 99 });
        applyTrainingState(resumedModel, null, saved);
        const done = t.progress.epoch - 1;
        const after: BatchMetrics[] = [];
        const resumed = await trainRun(
          resumedModel,
          data,
          config,
          { onBatch: (m) => after.push(m) },
          {},
          {
            history: full.history.slice(0, done),
            bestEpoch: done,
            momentum: new Map([...saved].filter(([k]) => k.startsWith(MOMENTUM_PREFIX))),
            bestWeights: null,
            progress: t.progress,
            startModel: () => buildTinyModel({ numClasses: 3, seed: 5 }),
          },
        );
        expect(after[0]).toMatchObject({ epoch: t.progress.epoch, batch: t.progress.batchesDone + 1 });
        const lossesOf = (list: readonly BatchMetrics[]) => list.map((m) => [m.epoch, m.batch, m.loss, m.accuracy]);
        expect(lossesOf(after)).toEqual(lossesOf(batches.slice(t.batchesBefore)));
        expect(stable(resumed.history)).toEqual(stable(full.history));
        expect((await readTrainingState(resumedModel, null)).map((x) => Array.from(x.values))).toEqual(weights);
        resumedModel.dispose();
      }
      // Every snapshot freed its clones once read.
      expect(tf.memory().numTensors).toBe(tensorsBefore);
    });
  }

  it('a checkpoint inside another epoch than the next one is refused', async () => {
    const model = buildTinyModel({ numClasses: 3, seed: 5 });
    const progress = { epoch: 2, batchesDone: 1, lossSum: 1, correct: 1, seen: 8, trainMs: 1 };
    const resume = { history: [], bestEpoch: 0, momentum: new Map(), bestWeights: null, progress };
    await expect(trainRun(model, data, testConfig('finetune'), {}, {}, resume)).rejects.toThrow(
      /inside epoch 2, but 0 epochs are finished/,
    );
    model.dispose();
  });

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
