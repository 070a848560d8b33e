/**
 * Top losses (fastai's `plot_top_losses`): the images of a split the model finds hardest, ranked by
 * their own cross-entropy. A confident wrong answer is where a label is most often wrong, so those are
 * flagged as likely mislabelled; FER2013's labels are noisy enough that a crowd relabelling (FER+) exists.
 */
import * as tf from '@tensorflow/tfjs';
import type { StoredImage } from '../../data/dataset.ts';
import type { RankedLoss, TrainConfig } from '../../shared/types.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';
import type { ResNet50 } from '../model.ts';
import { imageLogits } from '../train/evaluate.ts';

/** A wrong answer given with at least this probability flags the image as likely mislabelled. */
export const SUSPECT_CONFIDENCE = 0.8;

/**
 * Log-probabilities (log-softmax of the logits, BN in inference mode) of every image of a split,
 * row-major [N × numClasses], batch by batch; nothing stays allocated.
 */
export async function splitLogProbabilities(
  model: ResNet50,
  images: readonly StoredImage[],
  config: Pick<TrainConfig, 'inputSize' | 'resizeMode' | 'batchSize'>,
): Promise<Float32Array> {
  const k = model.numClasses;
  const out = new Float32Array(images.length * k);
  const logitsOf = imageLogits(model, images, config);
  for (let start = 0; start < images.length; start += config.batchSize) {
    const indices = Int32Array.from({ length: Math.min(config.batchSize, images.length - start) }, (_, i) => start + i);
    const logProbabilities = tf.tidy(() => tf.logSoftmax(logitsOf(indices)));
    out.set(await logProbabilities.data(), start * k);
    logProbabilities.dispose();
    await yieldToEventLoop();
  }
  return out;
}

/** The `limit` images with the highest loss, highest first (ties: split order), from {@link splitLogProbabilities}. */
export function rankTopLosses(labels: Int32Array, logProbabilities: Float32Array, numClasses: number, limit: number): RankedLoss[] {
  if (logProbabilities.length !== labels.length * numClasses)
    throw new Error(`${logProbabilities.length} log-probabilities for ${labels.length} images of ${numClasses} classes`);
  const ranked: RankedLoss[] = [];
  for (let i = 0; i < labels.length; i++) {
    const row = logProbabilities.subarray(i * numClasses, (i + 1) * numClasses);
    const trueClass = labels[i] ?? 0;
    let predictedClass = 0;
    for (let c = 1; c < numClasses; c++) if ((row[c] ?? -Infinity) > (row[predictedClass] ?? -Infinity)) predictedClass = c;
    const probability = Math.exp(row[predictedClass] ?? -Infinity);
    const trueLog = row[trueClass] ?? -Infinity;
    ranked.push({
      index: i,
      trueClass,
      predictedClass,
      probability,
      trueProbability: Math.exp(trueLog),
      loss: -trueLog,
      likelyMislabelled: predictedClass !== trueClass && probability >= SUSPECT_CONFIDENCE,
    });
  }
  return ranked.sort((a, b) => b.loss - a.loss || a.index - b.index).slice(0, Math.max(0, limit));
}
