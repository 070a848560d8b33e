/**
 * The training run behind `train/start`.
 *
 * BatchNorm per regime (tfjs ignores `trainable` for BN, so this is decided here, not inherited):
 * - Every regime that runs the backbone per step (finetune, discriminative, frozen-lower, and the
 *   linear probe with `exactSeedBehaviour` or augmentation on) does its training forward with
 *   `training: true`: batch statistics, and running statistics updated in EVERY BN layer, frozen
 *   blocks included — exactly the seed's `model.train()`. Frozen blocks get no gradient, but their
 *   BN buffers still drift towards FER statistics.
 * - The linear probe's fast path (`usesFeatureCache`) runs the backbone once in inference mode:
 *   running statistics are used and never change; only fc trains, on the cached features.
 * - Validation, feature caching and prediction always use inference mode.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../data/dataset.ts';
import type { BatchMetrics, EpochMetrics, EpochProgress, TrainConfig } from '../../shared/types.ts';
import type { ResNet50 } from '../model.ts';
import { BlockMovementTracker } from './block-movement.ts';
import { WeightSnapshot, loadMomentum, type HostValues } from './checkpoint.ts';
import { trainEpoch } from './epoch.ts';
import { evaluateSplit, type SplitEvaluation } from './evaluate.ts';
import { inverseFrequencyWeights } from './loss.ts';
import { confusionMatrix, perClassAccuracy } from './metrics.ts';
import { buildParamGroups, trainableVariables } from './param-groups.ts';
import { learningRateScale } from './schedule.ts';
import { MomentumSgd } from './sgd.ts';
import { cachedFeatureSource, perStepSource, usesFeatureCache, type LogitsSource } from './sources.ts';

/** Callbacks of a run; the worker turns them into protocol events. */
export interface TrainHooks {
  onStarted?(info: { readonly batchesPerEpoch: number; readonly featureCache: boolean }): void;
  onBatch?(metrics: BatchMetrics): void;
  /** Linear probe fast path: images whose features are cached so far, of `total` (train + validation). */
  onFeatures?(done: number, total: number): void;
  /** After each finished epoch; `validation` holds that epoch's predictions (split order). */
  onEpoch?(metrics: EpochMetrics, memory: { readonly numTensors: number; readonly numBytes: number }, validation: SplitEvaluation): void;
  /** Polled between batches; true ends the run after the current batch. */
  shouldStop?(): boolean;
  /**
   * Awaited after each finished epoch (after `onEpoch`), before the next begins: the place to save a
   * checkpoint. `model` and `optimizer` are borrowed; `improved` says the epoch is the new best.
   */
  onCheckpoint?(state: {
    readonly epoch: number;
    readonly improved: boolean;
    readonly model: ResNet50;
    readonly optimizer: MomentumSgd;
  }): Promise<void>;
  /** Polled after each batch inside an epoch (not its last): true calls `onMidEpochCheckpoint` there. */
  midEpochCheckpointDue?(): boolean;
  /**
   * Called at the batch boundary `midEpochCheckpointDue` asked for, before the next batch: take what
   * a checkpoint needs from `model` and `optimizer` (borrowed) now, synchronously; `progress` says
   * where the epoch stands (every batch in it already reported through `onBatch`).
   */
  onMidEpochCheckpoint?(state: { readonly progress: EpochProgress; readonly model: ResNet50; readonly optimizer: MomentumSgd }): void;
}

/**
 * Where a resumed run continues: the model already holds the last checkpoint's weights; `momentum`
 * holds the optimizer's buffers then. Data order, augmentation and LR schedule are functions of
 * (seed, epoch, batch), so epoch `history.length + 1` runs exactly as it would have.
 */
export interface TrainResume {
  readonly history: readonly EpochMetrics[];
  readonly bestEpoch: number;
  /** `momentum/<param name>` entries, as `readTrainingState` wrote them (others are ignored). */
  readonly momentum: ReadonlyMap<string, HostValues>;
  /** The best epoch's weights, needed only with early stopping. */
  readonly bestWeights: ReadonlyMap<string, HostValues> | null;
  /**
   * Builds the model as the run started (its W₀, for block movement); trainRun copies its parameters
   * and disposes it. Without it the resumed epochs carry no block movement.
   */
  readonly startModel?: () => ResNet50;
  /** A mid-epoch checkpoint's place in epoch `history.length + 1`; absent or null: that epoch starts at its first batch. */
  readonly progress?: EpochProgress | null;
}

/** How a run ended. Epochs are 1-based; `history` holds finished epochs only. */
export interface TrainResult {
  readonly reason: 'completed' | 'stopped' | 'early-stopped';
  /** Epoch with the lowest validation loss (0 if none finished). The model holds its weights iff early stopping was on. */
  readonly bestEpoch: number;
  readonly totalMs: number;
  readonly history: EpochMetrics[];
  /** Validation predictions of the last finished epoch, or of the best one once restored (confusion cell → images); null if none. */
  readonly validation: SplitEvaluation | null;
}

/** Test-only switches. `backboneBnTraining: false` runs the per-step forward with BN in inference mode. */
export interface TrainInternals {
  readonly backboneBnTraining?: boolean;
}

/**
 * Trains `model` in place on `dataset.splits.train`, validating on `dataset.splits.validation` after
 * every epoch. Owns and frees everything it allocates (optimizer buffers, feature caches, best-weight
 * copies, class weights); the model keeps the trained weights (the best epoch's with early stopping).
 */
export async function trainRun(
  model: ResNet50,
  dataset: Pick<Dataset, 'classes' | 'splits'>,
  config: TrainConfig,
  hooks: TrainHooks = {},
  internals: TrainInternals = {},
  resume: TrainResume | null = null,
): Promise<TrainResult> {
  const started = performance.now();
  const shouldStop = () => hooks.shouldStop?.() ?? false;
  const train = dataset.splits.train;
  if (train.length === 0) throw new Error('the training split is empty');
  const numClasses = dataset.classes.length;
  const groups = buildParamGroups(model.params, config.learningRates);
  if (groups.length === 0) throw new Error('every learning rate is 0: nothing would train');
  const optimizer = new MomentumSgd(groups, config.momentum);
  const classWeights = config.classWeighted ? tf.tensor1d(inverseFrequencyWeights(train, numClasses)) : null;
  const best = new WeightSnapshot();
  const history: EpochMetrics[] = [...(resume?.history ?? [])];
  let source: LogitsSource | null = null;
  let reason: TrainResult['reason'] = 'completed';
  let bestEpoch = resume?.bestEpoch ?? 0;
  let validation: SplitEvaluation | null = null;
  let movement: BlockMovementTracker | null = null;
  try {
    movement = await startMovement(model, resume);
    if (resume) {
      loadMomentum(model, optimizer, resume.momentum);
      if (resume.bestWeights && config.earlyStoppingPatience > 0) best.load(model, resume.bestWeights);
    }
    const featureCache = usesFeatureCache(config);
    hooks.onStarted?.({ batchesPerEpoch: Math.ceil(train.length / config.batchSize), featureCache });
    source = featureCache
      ? await cachedFeatureSource(model, dataset, config, shouldStop, (done, total) => hooks.onFeatures?.(done, total))
      : perStepSource(model, dataset, config, internals.backboneBnTraining ?? true);
    if (source === null) return { reason: 'stopped', bestEpoch, totalMs: performance.now() - started, history, validation };
    const ctx = {
      train,
      source,
      optimizer,
      classWeights,
      shouldStop,
      trainable: trainableVariables(groups),
      batchSize: config.batchSize,
      seed: config.seed,
      onBatch: (m: BatchMetrics) => hooks.onBatch?.(m),
      boundaryDue: () => hooks.midEpochCheckpointDue?.() ?? false,
      onBoundary: (progress: EpochProgress) => hooks.onMidEpochCheckpoint?.({ progress, model, optimizer }),
    };
    let from = resume?.progress ?? null;
    if (from && from.epoch !== history.length + 1)
      throw new Error(`the checkpoint is inside epoch ${from.epoch}, but ${history.length} epochs are finished`);
    for (let epoch = history.length + 1; epoch <= config.epochs; epoch++) {
      // Time before a resume counts towards the epoch it was spent in.
      const epochStarted = performance.now() - (from?.trainMs ?? 0);
      const lrScale = learningRateScale(config.schedule, epoch, config.epochs);
      const totals = await trainEpoch(ctx, epoch, lrScale, from);
      from = null;
      const trainMs = totals.trainMs;
      if (totals.stopped) {
        reason = 'stopped';
        break;
      }
      const evaluated = await evaluateSplit(dataset.splits.validation, source.validationLogits, config.batchSize, classWeights, shouldStop);
      if (evaluated === null) {
        reason = 'stopped';
        break;
      }
      validation = evaluated;
      const movementStarted = performance.now();
      const blockMovement = movement ? await movement.measure(model) : null;
      const blockMovementMs = performance.now() - movementStarted;
      const confusion = confusionMatrix(validation.labels, validation.predictions, numClasses);
      const metrics: EpochMetrics = {
        epoch,
        trainLoss: totals.loss,
        trainAccuracy: totals.accuracy,
        validationLoss: validation.loss,
        validationAccuracy: validation.accuracy,
        perClassAccuracy: perClassAccuracy(confusion),
        confusion,
        learningRateScale: lrScale,
        trainMs,
        wallMs: performance.now() - epochStarted,
        ...(blockMovement ? { blockMovement, blockMovementMs } : {}),
      };
      history.push(metrics);
      const improved = bestEpoch === 0 || metrics.validationLoss < (history[bestEpoch - 1] as EpochMetrics).validationLoss;
      if (improved) bestEpoch = epoch;
      if (improved && config.earlyStoppingPatience > 0) best.capture(model);
      hooks.onEpoch?.(metrics, tf.memory(), evaluated);
      await hooks.onCheckpoint?.({ epoch, improved, model, optimizer });
      if (config.earlyStoppingPatience > 0 && epoch - bestEpoch >= config.earlyStoppingPatience) {
        reason = 'early-stopped';
        break;
      }
      if (shouldStop()) {
        reason = 'stopped';
        break;
      }
    }
    if (!best.isEmpty) {
      // Also after a stop mid-epoch: the weights then belong to no finished epoch.
      best.restore(model);
      if (bestEpoch !== history.length) {
        validation =
          (await evaluateSplit(dataset.splits.validation, source.validationLogits, config.batchSize, classWeights)) ?? validation;
      }
    }
    return { reason, bestEpoch, totalMs: performance.now() - started, history, validation };
  } finally {
    source?.dispose();
    optimizer.dispose();
    best.dispose();
    movement?.dispose();
    classWeights?.dispose();
  }
}

/** Block movement from the run's start: the model itself for a new run, the rebuilt start for a resumed one. */
async function startMovement(model: ResNet50, resume: TrainResume | null): Promise<BlockMovementTracker | null> {
  if (!resume) return BlockMovementTracker.capture(model);
  if (!resume.startModel) return null;
  const start = resume.startModel();
  try {
    return await BlockMovementTracker.capture(start);
  } finally {
    start.dispose();
  }
}
