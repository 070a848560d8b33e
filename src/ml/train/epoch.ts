import * as tf from '@tensorflow/tfjs';
import type { StoredImage } from '../../data/dataset.ts';
import type { BatchMetrics, EpochProgress } from '../../shared/types.ts';
import { batchSlices, epochOrder, labelTensor } from './batches.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';
import type { MomentumSgd } from './sgd.ts';
import type { LogitsSource } from './sources.ts';
import { trainStep } from './step.ts';

/** Everything one training epoch borrows from its run. */
export interface EpochContext {
  readonly train: readonly StoredImage[];
  readonly source: LogitsSource;
  readonly optimizer: MomentumSgd;
  readonly trainable: readonly tf.Variable[];
  readonly classWeights: tf.Tensor1D | null;
  readonly batchSize: number;
  readonly seed: number;
  readonly onBatch: (metrics: BatchMetrics) => void;
  readonly shouldStop: () => boolean;
  /** Polled after each batch but an epoch's last: true asks for `onBoundary` there. */
  readonly boundaryDue?: () => boolean;
  /**
   * Called at a batch boundary that `boundaryDue` asked for, with every batch so far counted in
   * `progress` (their metrics already reported): the place to snapshot a mid-epoch checkpoint.
   */
  readonly onBoundary?: (progress: EpochProgress) => void;
}

/** Training totals of an epoch; `stopped` when a stop request ended it early. */
export interface EpochTotals {
  readonly loss: number;
  readonly accuracy: number;
  readonly stopped: boolean;
  /** ms spent on the epoch's batches, including those trained before a resume. */
  readonly trainMs: number;
}

interface Pending {
  readonly stats: tf.Tensor1D;
  readonly batch: number;
  readonly size: number;
}

/**
 * Runs one epoch (1-based) of SGD steps over the seeded order of the training split, from batch
 * `from.batchesDone + 1` when it continues a checkpoint's `from` (same epoch). Batch statistics
 * are read asynchronously one step behind, so the device already has the next step queued while
 * [loss, correct] of the previous one comes back; no synchronous read in the loop (a boundary
 * asked for by `boundaryDue` waits for its batch's statistics). Yields to the event loop after
 * every batch and checks `shouldStop` there (cooperative stop).
 */
export async function trainEpoch(
  ctx: EpochContext,
  epoch: number,
  lrScale: number,
  from: EpochProgress | null = null,
): Promise<EpochTotals> {
  if (from && from.epoch !== epoch) throw new Error(`a checkpoint of epoch ${from.epoch} cannot continue epoch ${epoch}`);
  const batches = batchSlices(epochOrder(ctx.train.length, ctx.seed, epoch), ctx.batchSize);
  const first = from?.batchesDone ?? 0;
  if (first >= batches.length) throw new Error(`the checkpoint is past the end of epoch ${epoch} (${first} of ${batches.length} batches)`);
  let lossSum = from?.lossSum ?? 0;
  let correct = from?.correct ?? 0;
  let seen = from?.seen ?? 0;
  const seenBefore = seen;
  const started = performance.now();
  const priorMs = from?.trainMs ?? 0;
  const flush = async (pending: Pending) => {
    const values = await pending.stats.data();
    pending.stats.dispose();
    const now = performance.now();
    const loss = values[0] as number;
    lossSum += loss * pending.size;
    correct += values[1] as number;
    seen += pending.size;
    // Throughput since the epoch began (or resumed): with reads one step behind, a GPU backend can
    // finish two steps between two reads, so per-batch intervals alternate; the running rate does not.
    const imagesPerSecond = ((seen - seenBefore) * 1000) / Math.max(1e-3, now - started);
    ctx.onBatch({
      epoch,
      batch: pending.batch,
      batchesPerEpoch: batches.length,
      loss,
      accuracy: (values[1] as number) / pending.size,
      imagesPerSecond,
    });
  };
  let pending: Pending | null = null;
  let stopped = false;
  for (let b = first; b < batches.length; b++) {
    const indices = batches[b] as Int32Array;
    const prepared = ctx.source.prepare(indices, epoch, b);
    const labels = labelTensor(ctx.train, indices);
    let stats: tf.Tensor1D;
    try {
      stats = trainStep({
        logits: prepared.logits,
        labels,
        classWeights: ctx.classWeights,
        trainable: ctx.trainable,
        optimizer: ctx.optimizer,
        lrScale,
      });
    } finally {
      tf.dispose([prepared.input, labels]);
    }
    if (pending) await flush(pending);
    pending = { stats, batch: b + 1, size: indices.length };
    if (b + 1 < batches.length && ctx.onBoundary && ctx.boundaryDue?.()) {
      await flush(pending);
      pending = null;
      ctx.onBoundary({ epoch, batchesDone: b + 1, lossSum, correct, seen, trainMs: priorMs + performance.now() - started });
    }
    await yieldToEventLoop();
    if (ctx.shouldStop()) {
      stopped = true;
      break;
    }
  }
  if (pending) await flush(pending);
  return {
    loss: seen > 0 ? lossSum / seen : 0,
    accuracy: seen > 0 ? correct / seen : 0,
    stopped,
    trainMs: priorMs + performance.now() - started,
  };
}
