import * as tf from '@tensorflow/tfjs';
import type { RawImage, TrainConfig } from '../../shared/types.ts';
import type { StoredImage } from '../../data/dataset.ts';
import type { ResNet50 } from '../model.ts';
import { labelTensor, loadPixels } from './batches.ts';
import { normalizeImageBatch } from '../preprocess.ts';
import { correctCount, crossEntropyParts } from './loss.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';

/** A split's predictions in split order (index i ↔ split[i]), for metrics and misclassified lookups. */
export interface SplitEvaluation {
  readonly labels: Int32Array;
  readonly predictions: Int32Array;
  /** Mean (class-weighted when weights were given) cross-entropy over the split. */
  readonly loss: number;
  readonly accuracy: number;
}

/** Source of logits for rows `indices` of a split: runs the backbone, or the head on cached features. */
export type LogitsOf = (indices: Int32Array) => tf.Tensor2D;

/** Logits from images: resize + normalise, forward with BN in inference mode. */
export function imageLogits(model: ResNet50, images: readonly RawImage[], config: Pick<TrainConfig, 'inputSize' | 'resizeMode'>): LogitsOf {
  return (indices) =>
    tf.tidy(() => {
      const pixels = loadPixels(
        Array.from(indices, (i) => images[i] as RawImage),
        config.inputSize,
        config.resizeMode,
      );
      return model.forward(normalizeImageBatch(pixels), { training: false });
    });
}

/**
 * Evaluates a split batch by batch with BN in inference mode, reading each batch's results
 * asynchronously and yielding between batches. classWeights [K] (borrowed) or null.
 * Null when `shouldStop` turned true between batches.
 */
export async function evaluateSplit(
  images: readonly StoredImage[],
  logitsOf: LogitsOf,
  batchSize: number,
  classWeights: tf.Tensor1D | null,
  shouldStop: () => boolean = () => false,
): Promise<SplitEvaluation | null> {
  const predictions = new Int32Array(images.length);
  const labels = Int32Array.from(images, (image) => image.classIndex);
  let lossSum = 0;
  let weightSum = 0;
  let correct = 0;
  for (let start = 0; start < images.length; start += batchSize) {
    const indices = Int32Array.from({ length: Math.min(batchSize, images.length - start) }, (_, k) => start + k);
    const [summary, predicted] = tf.tidy(() => {
      const y = labelTensor(images, indices);
      const logits = logitsOf(indices);
      const [sum, weight] = crossEntropyParts(logits, y, classWeights);
      return [tf.stack([sum, weight, correctCount(logits, y)]), tf.argMax(logits, 1)];
    });
    const [values, predictedValues] = await Promise.all([summary.data(), predicted.data()]);
    tf.dispose([summary, predicted]);
    predictions.set(predictedValues, start);
    lossSum += values[0] as number;
    weightSum += values[1] as number;
    correct += values[2] as number;
    await yieldToEventLoop();
    if (shouldStop()) return null;
  }
  return { labels, predictions, loss: weightSum > 0 ? lossSum / weightSum : 0, accuracy: images.length > 0 ? correct / images.length : 0 };
}

/**
 * Predictions of `model` (BN in inference mode, unweighted loss) on a split's images, e.g. to list the
 * images behind a confusion-matrix cell with {@link cellIndices} after a run.
 */
export function evaluateImages(
  model: ResNet50,
  images: readonly StoredImage[],
  config: Pick<TrainConfig, 'inputSize' | 'resizeMode' | 'batchSize'>,
): Promise<SplitEvaluation> {
  return evaluateSplit(images, imageLogits(model, images, config), config.batchSize, null) as Promise<SplitEvaluation>;
}

/** Indices into the split of images with this true and predicted class (a confusion-matrix cell). */
export function cellIndices(evaluation: SplitEvaluation, trueClass: number, predictedClass: number, limit: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < evaluation.labels.length && out.length < limit; i++) {
    if (evaluation.labels[i] === trueClass && evaluation.predictions[i] === predictedClass) out.push(i);
  }
  return out;
}

/** Class probabilities for one image (BN in inference mode), preprocessed exactly as in training. */
export async function predictProbabilities(
  model: ResNet50,
  image: RawImage,
  inputSize: number,
  resizeMode: TrainConfig['resizeMode'] = 'stretch',
): Promise<number[]> {
  const probabilities = tf.tidy(() => tf.softmax(imageLogits(model, [image], { inputSize, resizeMode })(Int32Array.of(0))));
  const values = await probabilities.data();
  probabilities.dispose();
  return Array.from(values);
}
