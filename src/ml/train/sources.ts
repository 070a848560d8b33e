import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../data/dataset.ts';
import type { TrainConfig } from '../../shared/types.ts';
import { augmentBatch } from '../augment/augment.ts';
import type { ResNet50 } from '../model.ts';
import { AUGMENT_STREAM, loadPixels } from './batches.ts';
import { normalizeImageBatch } from '../preprocess.ts';
import { imageLogits, type LogitsOf } from './evaluate.ts';
import { computeFeatures } from './feature-cache.ts';
import { usesCachedFeatures } from '../../shared/run-naming.ts';
import { deriveSeed } from './random.ts';

/** A training batch's device input (owned by the caller) and the forward pass to run on the tape. */
export interface PreparedBatch {
  readonly input: tf.Tensor;
  readonly logits: () => tf.Tensor2D;
}

/** Where logits come from during a run: the backbone every step, or the head on cached features. */
export interface LogitsSource {
  readonly kind: 'per-step' | 'cached-features';
  prepare(indices: Int32Array, epoch: number, batch: number): PreparedBatch;
  readonly validationLogits: LogitsOf;
  /** Frees the feature caches (nothing for the per-step source). */
  dispose(): void;
}

/** The linear-probe fast path applies: only fc trains, nothing is augmented, and the seed's exact behaviour was not asked for. */
export function usesFeatureCache(config: TrainConfig): boolean {
  return usesCachedFeatures(config);
}

/**
 * Backbone every step: upload + resize (+ augment, seeded by epoch and batch) + normalise, then a
 * forward with BN in training mode (`bnTraining`), as the seed's `model.train()` did.
 */
export function perStepSource(model: ResNet50, data: Pick<Dataset, 'splits'>, config: TrainConfig, bnTraining: boolean): LogitsSource {
  const train = data.splits.train;
  return {
    kind: 'per-step',
    prepare(indices, epoch, batch) {
      const input = tf.tidy(() => {
        const pixels = loadPixels(
          Array.from(indices, (i) => train[i]!),
          config.inputSize,
          config.resizeMode,
        );
        const seed = deriveSeed(config.seed, AUGMENT_STREAM, epoch, batch);
        return normalizeImageBatch(augmentBatch(pixels, config.augment, seed));
      });
      return { input, logits: () => model.forward(input as tf.Tensor4D, { training: bnTraining }) };
    },
    validationLogits: imageLogits(model, data.splits.validation, config),
    dispose: () => undefined,
  };
}

/**
 * Linear probe on cached features: the backbone runs once per image in BN inference mode (so BN
 * buffers never change), then every step is fc on a gather of the cache. Null when stopped while caching.
 */
export async function cachedFeatureSource(
  model: ResNet50,
  data: Pick<Dataset, 'splits'>,
  config: TrainConfig,
  shouldStop: () => boolean,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<LogitsSource | null> {
  const total = data.splits.train.length + data.splits.validation.length;
  const train = await computeFeatures(model, data.splits.train, config, shouldStop, (done) => onProgress(done, total));
  if (train === null) return null;
  const offset = data.splits.train.length;
  const validation = await computeFeatures(model, data.splits.validation, config, shouldStop, (done) => onProgress(offset + done, total));
  if (validation === null && data.splits.validation.length > 0) {
    train.dispose();
    return null;
  }
  return {
    kind: 'cached-features',
    prepare(indices) {
      const input = tf.gather(train, indices);
      return { input, logits: () => model.head(input) };
    },
    validationLogits: (indices) => tf.tidy(() => model.head(tf.gather(validation as tf.Tensor2D, indices))),
    dispose: () => tf.dispose([train, validation ?? []]),
  };
}
