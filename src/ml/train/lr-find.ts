/**
 * The learning-rate range test (Smith 2015; fastai's `lr_find`): from the current weights, a short run
 * whose learning rate grows exponentially every batch, recording the smoothed loss, stopping once it
 * diverges; then every weight, BN buffer and the optimizer are put back exactly as they were.
 * The regime's groups keep their ratios: the sweep scales all of them, and the rate it reports is the
 * largest group's.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../data/dataset.ts';
import type { LrFindPoint, LrFindResult, TrainConfig } from '../../shared/types.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';
import type { ResNet50 } from '../model.ts';
import { batchSlices, epochOrder, labelTensor } from './batches.ts';
import { WeightSnapshot } from './checkpoint.ts';
import { buildParamGroups, trainableVariables } from './param-groups.ts';
import { MomentumSgd } from './sgd.ts';
import { perStepSource, usesFeatureCache } from './sources.ts';
import { trainStep } from './step.ts';

export interface LrFindOptions {
  /** The largest group's rate at the first and the last batch (defaults 1e-7 and 10). */
  readonly startLr: number;
  readonly endLr: number;
  /** Batches at most (default 100). */
  readonly maxSteps: number;
}

export const DEFAULT_LR_FIND: LrFindOptions = { startLr: 1e-7, endLr: 10, maxSteps: 100 };
/** fastai's smoothing (exponential moving average, bias-corrected) and divergence rule (4 × the best). */
const BETA = 0.98;
const DIVERGED = 4;

/** Learning rate of batch `step` (0-based) of `steps`: exponential from startLr to endLr. */
export function sweepLr(options: LrFindOptions, step: number): number {
  const t = options.maxSteps > 1 ? step / (options.maxSteps - 1) : 0;
  return options.startLr * (options.endLr / options.startLr) ** t;
}

/** fastai's suggestions on the smoothed curve: steepest descent per log lr, and the minimum's lr / 10. */
export function lrSuggestions(points: readonly LrFindPoint[]): Pick<LrFindResult, 'steepest' | 'minimumTenth'> {
  if (points.length < 2) return { steepest: null, minimumTenth: null };
  let steepest = 0;
  let slope = Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i] as LrFindPoint, points[i + 1] as LrFindPoint];
    const s = (b.smoothedLoss - a.smoothedLoss) / (Math.log(b.lr) - Math.log(a.lr));
    if (s < slope) [slope, steepest] = [s, i];
  }
  const minimum = points.reduce((best, p) => (p.smoothedLoss < best.smoothedLoss ? p : best));
  return { steepest: (points[steepest] as LrFindPoint).lr, minimumTenth: minimum.lr / 10 };
}

/**
 * Runs the sweep on `dataset`'s training split with `config`'s regime (its per-group rates, momentum,
 * augmentation, BN mode), then restores the model bit for bit. `onPoint` sees each batch's point.
 */
export async function lrRangeTest(
  model: ResNet50,
  dataset: Pick<Dataset, 'classes' | 'splits'>,
  config: TrainConfig,
  options: LrFindOptions = DEFAULT_LR_FIND,
  hooks: { onPoint?(point: LrFindPoint): void; shouldStop?(): boolean } = {},
): Promise<LrFindResult> {
  if (!(options.startLr > 0 && options.endLr > options.startLr))
    throw new Error(`the sweep needs 0 < start < end (got ${options.startLr} to ${options.endLr})`);
  if (!(Number.isInteger(options.maxSteps) && options.maxSteps >= 2))
    throw new Error(`the sweep needs at least 2 batches (got ${options.maxSteps})`);
  const train = dataset.splits.train;
  if (train.length === 0) throw new Error('the training split is empty');
  const groups = buildParamGroups(model.params, config.learningRates);
  if (groups.length === 0) throw new Error('every learning rate is 0: nothing would train');
  const reference = Math.max(...groups.map((g) => g.lr));
  const saved = new WeightSnapshot();
  saved.capture(model);
  const optimizer = new MomentumSgd(groups, config.momentum);
  // The linear probe's cached path runs the backbone in inference mode; so does its sweep.
  const source = perStepSource(model, dataset, config, !usesFeatureCache(config));
  const points: LrFindPoint[] = [];
  let stoppedBy: LrFindResult['stoppedBy'] = 'steps';
  try {
    let average = 0;
    let best = Infinity;
    const batches: Int32Array[] = [];
    for (let epoch = 1; batches.length < options.maxSteps; epoch++)
      batches.push(...batchSlices(epochOrder(train.length, config.seed, epoch), config.batchSize));
    for (let step = 0; step < options.maxSteps; step++) {
      const indices = batches[step] as Int32Array;
      const lr = sweepLr(options, step);
      const prepared = source.prepare(indices, 1 + Math.floor(step / Math.ceil(train.length / config.batchSize)), step);
      const labels = labelTensor(train, indices);
      let stats: tf.Tensor1D;
      try {
        stats = trainStep({
          logits: prepared.logits,
          labels,
          classWeights: null,
          trainable: trainableVariables(groups),
          optimizer,
          lrScale: lr / reference,
        });
      } finally {
        tf.dispose([prepared.input, labels]);
      }
      const loss = (await stats.data())[0] as number;
      stats.dispose();
      average = BETA * average + (1 - BETA) * loss;
      const smoothedLoss = average / (1 - BETA ** (step + 1));
      const point = { step, lr, loss, smoothedLoss };
      if (Number.isFinite(smoothedLoss)) points.push(point);
      hooks.onPoint?.(point);
      best = Math.min(best, smoothedLoss);
      if (!Number.isFinite(smoothedLoss) || smoothedLoss > DIVERGED * best) {
        stoppedBy = 'diverged';
        break;
      }
      await yieldToEventLoop();
      if (hooks.shouldStop?.()) {
        stoppedBy = 'stopped';
        break;
      }
    }
  } finally {
    saved.restore(model);
    saved.dispose();
    optimizer.dispose();
    source.dispose();
  }
  // As fastai suggests: without the first tenth of the sweep (the average is still settling) and the
  // last 5 batches (the blow-up), when enough points remain.
  const skip = Math.floor(options.maxSteps / 10);
  const trimmed = points.slice(skip, Math.max(skip, points.length - 5));
  const usable = trimmed.length >= 2 ? trimmed : stoppedBy === 'diverged' ? points.slice(0, -1) : points;
  return { points, stoppedBy, ...lrSuggestions(usable) };
}
