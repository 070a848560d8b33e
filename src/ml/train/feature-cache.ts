import * as tf from '@tensorflow/tfjs';
import type { RawImage, TrainConfig } from '../../shared/types.ts';
import type { ResNet50 } from '../model.ts';
import { loadPixels } from './batches.ts';
import { normalizeImageBatch } from '../preprocess.ts';
import { yieldToEventLoop } from '../../shared/yield.ts';

/**
 * Pooled backbone features [N, D] (D = 2048 for ResNet50) of every image, computed once in BN
 * inference mode, batch by batch (yielding between batches). The caller owns the result; for the
 * linear probe it lives for the run (7 classes × 28k FER images ≈ 230 MB of float32 at D = 2048).
 */
export async function computeFeatures(
  model: ResNet50,
  images: readonly RawImage[],
  config: Pick<TrainConfig, 'inputSize' | 'resizeMode' | 'batchSize'>,
  shouldStop: () => boolean = () => false,
  onProgress: (done: number) => void = () => undefined,
): Promise<tf.Tensor2D | null> {
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < images.length; start += config.batchSize) {
      const batch = images.slice(start, start + config.batchSize);
      const part = tf.tidy(() =>
        model.features(normalizeImageBatch(loadPixels(batch, config.inputSize, config.resizeMode)), { training: false }),
      );
      parts.push(part);
      // Waits for this batch on the device, so the queue (and memory) never runs far ahead.
      await part.data();
      onProgress(start + batch.length);
      await yieldToEventLoop();
      if (shouldStop()) return null;
    }
    return parts.length > 0 ? tf.concat(parts) : null;
  } finally {
    tf.dispose(parts);
  }
}
