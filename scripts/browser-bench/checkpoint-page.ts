/**
 * Runs in headless Chromium for `npm run bench:checkpoint`: on the lab's WASM backend, a full
 * fine-tune trains the same batches twice from the same start. Both runs stop at the boundary
 * after batch 1 (its statistics read, as a checkpoint boundary does); the second takes a mid-epoch
 * checkpoint there with the app's own RunCheckpoints, which writes it to IndexedDB while batches
 * 2.. train. The difference between the two is what one checkpoint costs the training.
 */
import { createDemoDataset } from '../../src/data/demo-dataset.ts';
import { chooseBackend } from '../../src/ml/backend.ts';
import type { CpuVariantChoice } from '../../src/ml/cpu/variant.ts';
import { buildResNet50 } from '../../src/ml/resnet50.ts';
import { trainRun } from '../../src/ml/train/trainer.ts';
import type { WorkerEvent } from '../../src/shared/protocol.ts';
import { REGIMES } from '../../src/shared/regimes.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/shared/train-defaults.ts';
import type { TrainConfig } from '../../src/shared/types.ts';
import { openLabDb } from '../../src/storage/lab-db.ts';
import { RunCheckpoints } from '../../src/worker/checkpoints.ts';
import { newRunRecord } from '../../src/worker/runs.ts';
import { reportToBench } from './report.ts';

/** One pair of runs: ms from the boundary after batch 1 to the last batch's statistics, without and with a checkpoint. */
export interface CheckpointPair {
  readonly plainMs: number;
  readonly withMs: number;
  /** The checkpoint as `train/checkpointSaved` reported it. */
  readonly bytes: number;
  readonly writeMs: number;
  readonly blockedMs: number;
  readonly storeBlockedMs: number;
  /** ms the write went on past the last batch (0: it ended while training went on; else the overhead is understated). */
  readonly waitedMs: number;
}

export interface CheckpointBenchResult {
  readonly threads: number | null;
  readonly variant: string;
  readonly pairs: readonly CheckpointPair[];
}

type Saved = Extract<WorkerEvent, { type: 'train/checkpointSaved' }>;

reportToBench(async (): Promise<CheckpointBenchResult> => {
  const params = new URLSearchParams(location.search);
  const size = Number(params.get('size'));
  const batch = Number(params.get('batch'));
  const batches = Number(params.get('batches'));
  const info = await chooseBackend('wasm', `${location.origin}/`, { cpuVariant: (params.get('cpu') ?? 'auto') as CpuVariantChoice });
  if (info.backend !== 'wasm') throw new Error(`the WASM backend did not start: ${info.reason}`);
  const demo = createDemoDataset(1);
  const dataset = {
    classes: demo.classes,
    splits: { train: demo.splits.train.slice(0, batch * batches), validation: demo.splits.validation.slice(0, 7), test: [] },
  };
  if (dataset.splits.train.length < batch * batches)
    throw new Error(`the demo has ${demo.splits.train.length} training images; ask for fewer batches`);
  const config: TrainConfig = {
    ...DEFAULT_TRAIN_CONFIG,
    regime: 'finetune',
    learningRates: REGIMES.finetune.learningRates,
    batchSize: batch,
    epochs: 1,
    inputSize: size,
    seed: 1,
  };
  const db = await openLabDb();
  const persistence = { db, keep: 'last-and-best' as const, everyMinutes: 2, datasetBytes: 0 };
  /** Trains; with `checkpoint`, takes one at the boundary after batch 1. Returns ms from that boundary to the last batch. */
  const trainOnce = async (checkpoint: boolean) => {
    const model = buildResNet50({ numClasses: dataset.classes.length, seed: 1 });
    const run = newRunRecord({
      runId: `bench-${checkpoint}`,
      number: 1,
      config,
      classes: dataset.classes,
      dataset: null,
      datasetKey: 'bench',
      backend: 'wasm',
      weightsLabel: 'bench',
      model,
      status: 'running',
    });
    const saved: Saved[] = [];
    const started = performance.now();
    const checkpoints = new RunCheckpoints(
      persistence,
      run,
      (e) => e.type === 'train/checkpointSaved' && saved.push(e),
      () => performance.now() - started,
      dataset.splits.train.length,
    );
    let boundaryAt = 0;
    let lastBatchAt = 0;
    let polls = 0;
    let settledAt = 0;
    try {
      await trainRun(model, dataset, config, {
        onBatch: (m) => {
          if (m.batch === batches) lastBatchAt = performance.now();
        },
        midEpochCheckpointDue: () => ++polls === 1,
        onMidEpochCheckpoint: (state) => {
          boundaryAt = performance.now();
          if (!checkpoint) return;
          checkpoints.takeMidEpoch(state);
          void checkpoints.settled().then(() => (settledAt = performance.now()));
        },
      });
      await checkpoints.settled();
    } finally {
      model.dispose();
    }
    const waitedMs = Math.max(0, settledAt - lastBatchAt);
    return { ms: lastBatchAt - boundaryAt, saved: saved[0], waitedMs };
  };
  const pairs: CheckpointPair[] = [];
  // Pairs in turn, so a change in the machine's load falls on both.
  for (let i = 0; i < Number(params.get('repeat') ?? 1); i++) {
    const plain = await trainOnce(false);
    const withCheckpoint = await trainOnce(true);
    const written = withCheckpoint.saved;
    if (!written) throw new Error('the checkpoint was not written (see the page console)');
    const { bytes, writeMs, blockedMs, storeBlockedMs } = written;
    pairs.push({
      plainMs: plain.ms,
      withMs: withCheckpoint.ms,
      bytes,
      writeMs,
      blockedMs,
      storeBlockedMs,
      waitedMs: withCheckpoint.waitedMs,
    });
  }
  db.close();
  return { threads: info.threads, variant: info.adapter, pairs };
});
