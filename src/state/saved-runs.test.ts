import { describe, expect, it } from 'vitest';
import { DEFAULT_CHECKPOINT_SETTINGS } from '../shared/train-defaults.ts';
import type { BatchMetrics, DatasetSummary, EpochMetrics, ResumePoint, RunQueue, SavedRunView, StorageInfo } from '../shared/types.ts';
import { DEFAULT_TRAIN_CONFIG } from './config-defaults.ts';
import { selectMemoryRunId } from './selectors.ts';
import { createLabStore } from './store.ts';

const epoch = (n: number, loss: number): EpochMetrics => ({
  epoch: n,
  trainLoss: 1,
  trainAccuracy: 0.5,
  validationLoss: loss,
  validationAccuracy: 1 - loss,
  perClassAccuracy: [0.5, 0.5],
  confusion: [
    [1, 1],
    [1, 1],
  ],
  learningRateScale: 1,
  trainMs: 8,
  wallMs: 10,
});
const batch = (e: number, b: number): BatchMetrics => ({
  epoch: e,
  batch: b,
  batchesPerEpoch: 2,
  loss: 1,
  accuracy: 0.5,
  imagesPerSecond: 9,
});
const at = (epoch: number, batch = 0): ResumePoint => ({ epoch, batch, elapsedMs: 1000 * (epoch * 2 + batch), savedAt: 0 });
const saved = (runId: string, number: number, patch: Partial<SavedRunView> = {}): SavedRunView => ({
  runId,
  number,
  config: { ...DEFAULT_TRAIN_CONFIG, epochs: 3 },
  classes: ['a', 'b'],
  weightsLabel: 'w',
  backend: 'wasm',
  status: 'completed',
  history: [epoch(1, 0.6), epoch(2, 0.5)],
  batches: [batch(1, 1), batch(1, 2), batch(2, 1), batch(2, 2)],
  batchesPerEpoch: 2,
  bestEpoch: 2,
  startedAt: 0,
  totalMs: 20,
  error: null,
  resumeAt: at(2),
  hasWeights: true,
  ...patch,
});
const storage: StorageInfo = { usage: 10, quota: 100, datasetBytes: 5, checkpointBytes: 5, runs: 2 };
const summary = { name: 'tiny.zip', classes: ['a', 'b'] } as unknown as DatasetSummary;
const opened = (runs: SavedRunView[], dataset: DatasetSummary | null = summary, queue: RunQueue | null = null) =>
  ({ type: 'lab/opened', requestId: 'l', dataset, runs, storage, settings: { keep: 'best', everyMinutes: 5 }, queue }) as const;

describe('restoring the saved lab', () => {
  it('brings back the dataset, every run with its curves, and shows a run saved mid-training as interrupted', () => {
    const store = createLabStore();
    store
      .getState()
      .applyEvents(
        [
          opened([
            saved('r2', 2, { status: 'running', history: [epoch(1, 0.6)], batches: [batch(1, 1), batch(1, 2)], resumeAt: at(1) }),
            saved('r1', 1),
          ]),
        ],
        1,
      );
    const s = store.getState();
    expect(s.dataset).toMatchObject({ status: 'loaded', summary });
    expect(s.runOrder).toEqual(['r1', 'r2']);
    expect(s.runs.r1).toMatchObject({ status: 'completed', bestEpoch: 2 });
    expect(s.runs.r1!.batches).toHaveLength(4);
    expect(s.runs.r2).toMatchObject({ status: 'interrupted', resumeAt: at(1) });
    expect(s.storage).toMatchObject({ open: true, info: storage, settings: { keep: 'best', everyMinutes: 5 } });
    expect(DEFAULT_CHECKPOINT_SETTINGS).toEqual({ keep: 'last-and-best', everyMinutes: 2 });
  });

  it('a resumed run drops what the page saw of its unfinished epoch and continues the numbering', () => {
    const store = createLabStore();
    store.getState().applyEvents([opened([saved('r', 1, { status: 'running', resumeAt: at(1) })])], 1);
    // The page had epochs 1 and 2 (epoch 2's checkpoint write never finished): Resume replays 2.
    store.getState().runResumeRequested('r');
    expect(store.getState().runs.r!.status).toBe('starting');
    store.getState().applyEvents(
      [
        {
          type: 'train/started',
          runId: 'r',
          config: DEFAULT_TRAIN_CONFIG,
          batchesPerEpoch: 2,
          classes: ['a', 'b'],
          resumedFrom: at(1),
        },
      ],
      2,
    );
    const run = store.getState().runs.r!;
    expect(run.status).toBe('running');
    expect(run.epochs.map((e) => e.epoch)).toEqual([1]);
    expect(run.batches.map((b) => b.epoch)).toEqual([1, 1]);
  });

  it('a run resumed from a mid-epoch checkpoint keeps the batches before it and counts on from the next one', () => {
    const store = createLabStore();
    const batches = [batch(1, 1), batch(1, 2), batch(2, 1), batch(2, 2)];
    store
      .getState()
      .applyEvents([opened([saved('r', 1, { status: 'running', history: [epoch(1, 0.6)], batches, resumeAt: at(1, 1) })])], 1);
    store.getState().runResumeRequested('r');
    const started = { type: 'train/started', runId: 'r', config: DEFAULT_TRAIN_CONFIG, batchesPerEpoch: 2, classes: ['a', 'b'] } as const;
    store.getState().applyEvents([{ ...started, resumedFrom: at(1, 1) }], 2);
    let run = store.getState().runs.r!;
    expect(run.batches.map((b) => b.step)).toEqual([1, 2, 3]);
    expect(run.lastBatch).toBeNull();
    store.getState().applyEvents([{ type: 'train/batchEnded', runId: 'r', metrics: { ...batch(2, 2), elapsedMs: 5200 } }], 3);
    run = store.getState().runs.r!;
    expect(run.batches.map((b) => [b.step, b.epoch])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
    ]);
    // A checkpoint written now is where a reload would continue; the Storage panel hears its cost.
    store
      .getState()
      .applyEvents(
        [{ type: 'train/checkpointSaved', runId: 'r', resumeAt: at(2), bytes: 4e6, writeMs: 300, blockedMs: 20, storeBlockedMs: 0 }],
        4,
      );
    expect(store.getState().runs.r!.resumeAt).toEqual(at(2));
    expect(store.getState().storage.lastWrite).toEqual({ bytes: 4e6, writeMs: 300, blockedMs: 20, midEpoch: false });
  });

  it('a run started again from nothing shows nothing of its earlier attempt', () => {
    const store = createLabStore();
    store.getState().applyEvents([opened([saved('r', 1, { status: 'running', resumeAt: null })])], 1);
    store.getState().runResumeRequested('r');
    store
      .getState()
      .applyEvents([{ type: 'train/started', runId: 'r', config: DEFAULT_TRAIN_CONFIG, batchesPerEpoch: 2, classes: ['a', 'b'] }], 2);
    expect(store.getState().runs.r).toMatchObject({ status: 'running', epochs: [], batches: [], resumeAt: null, number: 1 });
  });

  it('a queue saved before a reload comes back waiting; one the page holds is kept', () => {
    const store = createLabStore();
    const queue: RunQueue = { base: DEFAULT_TRAIN_CONFIG, current: { runId: 'r', regime: 'finetune' }, pending: ['discriminative'] };
    store.getState().applyEvents([opened([saved('r', 1, { status: 'running' })], summary, queue)], 1);
    expect(store.getState().queue).toEqual({ ...queue, waiting: true });
    store.getState().setQueue({ ...queue, pending: [], waiting: false });
    store.getState().applyEvents([opened([saved('r', 1, { status: 'running' })], summary, queue)], 2);
    expect(store.getState().queue).toEqual({ ...queue, pending: [], waiting: false });
  });

  it('a worker crash leaves the training run interrupted (not failed) once storage is open, and a refused Resume keeps it so', () => {
    const store = createLabStore();
    store.getState().applyEvents([opened([])], 0);
    store.getState().runRequested('r', DEFAULT_TRAIN_CONFIG, 0);
    store
      .getState()
      .applyEvents([{ type: 'train/started', runId: 'r', config: DEFAULT_TRAIN_CONFIG, batchesPerEpoch: 2, classes: ['a', 'b'] }], 1);
    store.getState().applyEvents([{ type: 'error', command: 'worker', message: 'The training worker was killed' }], 2);
    expect(store.getState().runs.r!.status).toBe('interrupted');
    expect(store.getState().messages.at(-1)!.hint).toMatch(/Resume/);
    store.getState().runResumeRequested('r');
    store.getState().applyEvents([{ type: 'error', command: 'train/resume', runId: 'r', message: 'another dataset' }], 3);
    expect(store.getState().runs.r).toMatchObject({ status: 'interrupted', error: 'another dataset' });
  });

  it('forgetting a run removes it from the page; a failed save says so and keeps the runs', () => {
    const store = createLabStore();
    store.getState().applyEvents([opened([saved('r1', 1), saved('r2', 2)])], 0);
    store.getState().applyEvents([{ type: 'storage/changed', storage, runs: [saved('r2', 2)] }], 1);
    expect(store.getState().runOrder).toEqual(['r2']);
    store.getState().applyEvents([{ type: 'storage/failed', message: 'quota is used up' }], 2);
    expect(store.getState().storage.error).toBe('quota is used up');
    expect(store.getState().runOrder).toEqual(['r2']);
  });

  it('checkpoints that stopped are told once, with what to do, and the run trains on', () => {
    const store = createLabStore();
    store.getState().runRequested('r', DEFAULT_TRAIN_CONFIG, 0);
    store
      .getState()
      .applyEvents([{ type: 'train/started', runId: 'r', config: DEFAULT_TRAIN_CONFIG, batchesPerEpoch: 2, classes: ['a', 'b'] }], 1);
    const stopped = { type: 'train/checkpointsStopped', runId: 'r', message: 'Run 1 keeps training.', hint: 'Free space.' } as const;
    store.getState().applyEvents([stopped], 2);
    expect(store.getState().messages.map((m) => [m.title, m.detail, m.hint])).toEqual([
      ['Checkpoints stopped', 'Run 1 keeps training.', 'Free space.'],
    ]);
    expect(store.getState().storage.error).toBe('Run 1 keeps training.');
    expect(store.getState().runs.r?.status).toBe('running');
  });

  it("the Train panel's tensor readout follows the training run, never an older run's figure", () => {
    const store = createLabStore();
    store.getState().runRequested('one', DEFAULT_TRAIN_CONFIG, 0);
    store.getState().applyEvents(
      [
        { type: 'train/started', runId: 'one', config: DEFAULT_TRAIN_CONFIG, batchesPerEpoch: 2, classes: ['a', 'b'] },
        { type: 'train/epochEnded', runId: 'one', metrics: epoch(1, 0.5), memory: { numTensors: 5, numBytes: 5 } },
        { type: 'train/finished', runId: 'one', reason: 'completed', bestEpoch: 1, totalMs: 1 },
      ],
      1,
    );
    expect(selectMemoryRunId(store.getState())).toBe('one');
    store.getState().runRequested('two', DEFAULT_TRAIN_CONFIG, 2);
    // Before the fix this stayed 'one': "Tensors … after epoch 1 of Run 1" while Run 2 trained.
    expect(selectMemoryRunId(store.getState())).toBe('two');
  });
});
