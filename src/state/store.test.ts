import { gpuDeviceLost } from '../shared/fault-messages.ts';
import { describe, expect, it } from 'vitest';
import { REGIMES } from '../shared/regimes.ts';
import type { BatchMetrics, EpochMetrics, TrainConfig } from '../shared/types.ts';
import { DEFAULT_TRAIN_CONFIG } from './config-defaults.ts';
import { selectFocusedRunId } from './selectors.ts';
import { createLabStore } from './store.ts';

const batch = (epoch: number, batchIndex: number, loss: number): BatchMetrics => ({
  epoch,
  batch: batchIndex,
  batchesPerEpoch: 2,
  loss,
  accuracy: 0.5,
  imagesPerSecond: 100,
});
const epoch = (n: number, validationAccuracy: number): EpochMetrics => ({
  epoch: n,
  trainLoss: 1,
  trainAccuracy: 0.5,
  validationLoss: 1,
  validationAccuracy,
  perClassAccuracy: [0.5, 0.5],
  confusion: [
    [1, 1],
    [1, 1],
  ],
  learningRateScale: 1,
  trainMs: 8,
  wallMs: 10,
});
const started = (runId: string, config: TrainConfig = DEFAULT_TRAIN_CONFIG) =>
  ({ type: 'train/started', runId, config, batchesPerEpoch: 2, classes: ['a', 'b'] }) as const;

describe('config slice', () => {
  it('defaults to the seed study: discriminative, batch 64, 10 epochs, 48 px, momentum 0.9, seed 42, no augmentation', () => {
    const { config } = createLabStore().getState();
    expect(config.train).toMatchObject({ regime: 'discriminative', batchSize: 64, epochs: 10, inputSize: 48, momentum: 0.9, seed: 42 });
    expect(config.validationFraction).toBe(0.1);
    expect(config.train.augment.hflip).toEqual({ enabled: false, p: 0.2 });
    expect(config.train.augment.rotate).toEqual({ enabled: false, degrees: 5 });
    expect(config.train.augment.perspective).toEqual({ enabled: false, distortion: 0.1, p: 0.25 });
  });

  it('picking a regime resets the per-block rates to that regime; editing one rate leaves the others', () => {
    const store = createLabStore();
    store.getState().setRegime('frozen-lower');
    expect(store.getState().config.train.learningRates).toEqual(REGIMES['frozen-lower'].learningRates);
    store.getState().setLearningRate('fc', 0.02);
    expect(store.getState().config.train.learningRates.fc).toBe(0.02);
    expect(store.getState().config.train.learningRates.layer1).toBe(0);
    store.getState().setLearningRate('layer3', -1);
    expect(store.getState().config.train.learningRates.layer3).toBe(0);
  });
});

describe('worker events → runs', () => {
  it('appends batches with a smoothed series, epochs, and the finish reason', () => {
    const store = createLabStore();
    store.getState().runRequested('r1', DEFAULT_TRAIN_CONFIG, 0);
    store
      .getState()
      .applyEvents(
        [
          started('r1'),
          { type: 'train/batchEnded', runId: 'r1', metrics: batch(1, 0, 2) },
          { type: 'train/batchEnded', runId: 'r1', metrics: batch(1, 1, 1) },
        ],
        5,
      );
    const run = store.getState().runs.r1!;
    expect(run.status).toBe('running');
    expect(run.batches.map((b) => b.step)).toEqual([1, 2]);
    expect(run.batches[1]!.smoothLoss).toBeCloseTo(0.9 * 2 + 0.1 * 1);
    store.getState().applyEvents(
      [
        { type: 'train/epochEnded', runId: 'r1', metrics: epoch(1, 0.6), memory: { numTensors: 1, numBytes: 1 } },
        { type: 'train/finished', runId: 'r1', reason: 'early-stopped', bestEpoch: 1, totalMs: 99 },
      ],
      6,
    );
    expect(store.getState().runs.r1).toMatchObject({ status: 'early-stopped', bestEpoch: 1, totalMs: 99 });
    expect(store.getState().runs.r1!.epochs).toHaveLength(1);
  });

  it("keeps the worker's tensor count and bytes after the latest epoch", () => {
    const store = createLabStore();
    store.getState().runRequested('r1', DEFAULT_TRAIN_CONFIG, 0);
    expect(store.getState().runs.r1!.memory).toBeNull();
    store
      .getState()
      .applyEvents(
        [
          started('r1'),
          { type: 'train/epochEnded', runId: 'r1', metrics: epoch(1, 0.5), memory: { numTensors: 330, numBytes: 4096 } },
          { type: 'train/epochEnded', runId: 'r1', metrics: epoch(2, 0.5), memory: { numTensors: 331, numBytes: 8192 } },
        ],
        0,
      );
    expect(store.getState().runs.r1!.memory).toEqual({ numTensors: 331, numBytes: 8192 });
  });

  it('a crash mid-run fails that run only, keeps its finished epochs, and says what to do', () => {
    const store = createLabStore();
    store.getState().runRequested('done', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().runRequested('crash', DEFAULT_TRAIN_CONFIG, 0);
    store
      .getState()
      .applyEvents(
        [
          started('done'),
          { type: 'train/epochEnded', runId: 'done', metrics: epoch(1, 0.5), memory: { numTensors: 1, numBytes: 1 } },
          { type: 'train/finished', runId: 'done', reason: 'completed', bestEpoch: 1, totalMs: 1 },
          started('crash'),
          { type: 'train/epochEnded', runId: 'crash', metrics: epoch(1, 0.4), memory: { numTensors: 1, numBytes: 1 } },
          { type: 'error', command: 'train/start', runId: 'crash', message: 'out of memory' },
        ],
        1,
      );
    const { runs, messages } = store.getState();
    expect(runs.done!.status).toBe('completed');
    expect(runs.crash).toMatchObject({ status: 'failed', error: 'out of memory' });
    expect(runs.crash!.epochs).toHaveLength(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.detail).toBe('out of memory');
    // Out of memory: said so, with the advice to lower the batch or input size.
    expect(messages[0]!.title).toMatch(/Run 2 .* ran out of memory/);
    expect(messages[0]!.hint).toMatch(/batch size or the input size/);
  });

  it('a crash mid-run that is not about memory says the run failed mid-training', () => {
    const store = createLabStore();
    store.getState().runRequested('crash', DEFAULT_TRAIN_CONFIG, 0);
    store
      .getState()
      .applyEvents(
        [
          started('crash'),
          { type: 'train/epochEnded', runId: 'crash', metrics: epoch(1, 0.4), memory: { numTensors: 1, numBytes: 1 } },
          { type: 'error', command: 'train/start', runId: 'crash', message: 'GPU device was lost' },
        ],
        1,
      );
    expect(store.getState().messages[0]!.title).toMatch(/Run 1 .* failed mid-training/);
  });

  it('an export, prediction or stop error names the run but does not fail it', () => {
    const store = createLabStore();
    store.getState().runRequested('r', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().applyEvents([started('r'), { type: 'train/finished', runId: 'r', reason: 'completed', bestEpoch: 1, totalMs: 1 }], 0);
    store.getState().applyEvents([{ type: 'error', command: 'export/run', requestId: 'x', runId: 'r', message: 'disk full' }], 0);
    expect(store.getState().runs.r!.status).toBe('completed');
    expect(store.getState().messages[0]!.title).toBe('The export failed (Run 1 · Discriminative learning rates)');
  });

  it('a train/start refusal before the run began says training could not start', () => {
    const store = createLabStore();
    store.getState().runRequested('r', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().applyEvents([{ type: 'error', command: 'train/start', runId: 'r', message: 'no dataset' }], 0);
    expect(store.getState().runs.r!.status).toBe('failed');
    expect(store.getState().messages[0]!.title).toMatch(/^Training could not start/);
  });

  it('ignores progress for a superseded dataset request and fails the current one on its error', () => {
    const store = createLabStore();
    store.getState().datasetRequested('old', 'a.zip');
    store.getState().datasetRequested('new', 'b.zip');
    store.getState().applyEvents([{ type: 'dataset/progressed', requestId: 'old', done: 1, total: 2, phase: 'decoding' }], 0);
    expect(store.getState().dataset.progress).toBeNull();
    store
      .getState()
      .applyEvents(
        [{ type: 'error', command: 'dataset/load', requestId: 'new', message: 'dataset/load is not available in this build' }],
        0,
      );
    expect(store.getState().dataset).toMatchObject({ status: 'failed', error: 'dataset/load is not available in this build' });
    expect(store.getState().messages[0]!.title).toMatch(/dataset/i);
  });

  it('a worker crash fails the active run and every pending load, keeps finished runs, and makes the queue wait', () => {
    const store = createLabStore();
    store.getState().runRequested('done', DEFAULT_TRAIN_CONFIG, 0);
    store
      .getState()
      .applyEvents([started('done'), { type: 'train/finished', runId: 'done', reason: 'completed', bestEpoch: 1, totalMs: 1 }], 0);
    store.getState().runRequested('live', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().weightsRequested('w');
    store
      .getState()
      .setQueue({ base: DEFAULT_TRAIN_CONFIG, current: { runId: 'live', regime: 'finetune' }, pending: ['linear'], waiting: false });
    store.getState().applyEvents([{ type: 'error', command: 'worker', message: 'The training worker crashed: out of memory' }], 0);
    const s = store.getState();
    expect(s.runs.done!.status).toBe('completed');
    expect(s.runs.live!.status).toBe('failed');
    expect(s.weights.status).toBe('failed');
    expect(s.backend.status).toBe('idle');
    expect(s.queue).toMatchObject({ pending: ['linear'], waiting: true });
  });

  it('the start-up look for cached weights fails quietly, while a requested load that fails says so', () => {
    const store = createLabStore();
    store.getState().weightsRequested('probe', true);
    store
      .getState()
      .applyEvents([{ type: 'error', command: 'weights/load', requestId: 'probe', message: 'No pretrained weights are cached here' }], 0);
    expect(store.getState().weights).toMatchObject({ status: 'idle', quietRequestId: null });
    expect(store.getState().messages).toEqual([]);
    store.getState().weightsRequested('probe-2', true);
    store.getState().weightsRequested('asked');
    store.getState().applyEvents([{ type: 'error', command: 'weights/load', requestId: 'probe-2', message: 'none cached' }], 0);
    expect(store.getState().messages, 'a probe overtaken by a real request stays quiet').toEqual([]);
    expect(store.getState().weights.status).toBe('loading');
    store.getState().applyEvents([{ type: 'error', command: 'weights/load', requestId: 'asked', message: 'offline' }], 0);
    expect(store.getState().weights.status).toBe('failed');
    expect(store.getState().messages).toHaveLength(1);
  });

  it('a lost GPU device is remembered past the lab reopening, so interrupted runs can offer Resume on WASM', () => {
    const store = createLabStore();
    store.getState().applyEvents([{ type: 'error', command: 'worker', message: gpuDeviceLost('destroyed') }], 0);
    expect(store.getState().backend.deviceLost).toMatch(
      /^The WebGPU device was lost \(destroyed\)\. The run is paused at its last checkpoint/,
    );
    expect(store.getState().messages[0]).toMatchObject({ title: 'The GPU device was lost' });
  });

  it('refused new weights leave the loaded ones in use, as the worker does', () => {
    const store = createLabStore();
    const info = { source: 'dropped-file', label: 'a.pth', pretrained: false, parameterCount: 1, fcClasses: null, notes: [] } as const;
    store.getState().weightsRequested('first');
    store.getState().applyEvents([{ type: 'weights/loaded', requestId: 'first', info }], 0);
    store.getState().weightsRequested('second');
    store.getState().applyEvents([{ type: 'error', command: 'weights/load', requestId: 'second', message: 'a ResNet18' }], 0);
    expect(store.getState().weights).toMatchObject({ status: 'loaded', info, error: 'a ResNet18' });
    expect(store.getState().messages).toHaveLength(1);
  });

  it('shows feature caching progress of a linear probe before its first batch', () => {
    const store = createLabStore();
    store.getState().runRequested('r', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().applyEvents([started('r'), { type: 'train/featuresProgressed', runId: 'r', done: 64, total: 420 }], 0);
    expect(store.getState().runs.r!.features).toEqual({ done: 64, total: 420 });
  });

  it('a cancelled load restores the previous dataset without an error message', () => {
    const store = createLabStore();
    store.getState().datasetRequested('new', 'b.zip');
    store.getState().datasetCancelRequested();
    store
      .getState()
      .applyEvents([{ type: 'error', command: 'dataset/load', requestId: 'new', message: 'Dataset import was cancelled.' }], 0);
    expect(store.getState().dataset).toMatchObject({ status: 'idle', cancelRequested: false, progress: null });
    expect(store.getState().messages).toHaveLength(0);
  });

  it('counts a repeated identical error instead of stacking it', () => {
    const store = createLabStore();
    const e = { type: 'error', command: 'weights/load', message: 'nope' } as const;
    store.getState().applyEvents([e, e], 0);
    expect(store.getState().messages).toHaveLength(1);
    expect(store.getState().messages[0]!.count).toBe(2);
    store.getState().dismissMessage(store.getState().messages[0]!.id);
    expect(store.getState().messages).toHaveLength(0);
  });
});

describe('focused run', () => {
  const epochEnded = (runId: string) =>
    ({ type: 'train/epochEnded', runId, metrics: epoch(1, 0.5), memory: { numTensors: 1, numBytes: 1 } }) as const;
  const finished = (runId: string) => ({ type: 'train/finished', runId, reason: 'completed', bestEpoch: 1, totalMs: 1 }) as const;

  it('stays on the newest finished run while a second run trains, then moves to the second once it ends', () => {
    const store = createLabStore();
    store.getState().runRequested('r1', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().applyEvents([started('r1'), epochEnded('r1'), finished('r1')], 0);
    expect(selectFocusedRunId(store.getState())).toBe('r1');
    store.getState().runRequested('r2', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().applyEvents([started('r2')], 0);
    expect(selectFocusedRunId(store.getState())).toBe('r1');
    store.getState().applyEvents([epochEnded('r2')], 0);
    expect(selectFocusedRunId(store.getState())).toBe('r1');
    store.getState().applyEvents([finished('r2')], 0);
    expect(selectFocusedRunId(store.getState())).toBe('r2');
  });

  it('keeps a picked run, shows the first run mid-training when nothing has finished, and is null before any epoch', () => {
    const store = createLabStore();
    store.getState().runRequested('r1', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().applyEvents([started('r1')], 0);
    expect(selectFocusedRunId(store.getState())).toBeNull();
    store.getState().applyEvents([epochEnded('r1')], 0);
    expect(selectFocusedRunId(store.getState())).toBe('r1');
    store.getState().applyEvents([finished('r1')], 0);
    store.getState().runRequested('r2', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().applyEvents([started('r2'), epochEnded('r2'), finished('r2')], 0);
    store.getState().focusRun('r1');
    expect(selectFocusedRunId(store.getState())).toBe('r1');
  });
});
