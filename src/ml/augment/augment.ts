import * as tf from '@tensorflow/tfjs';
import type { AugmentConfig } from '../../shared/types.ts';
import { createRandom } from '../../shared/random.ts';
import { deriveSeed } from '../train/random.ts';
import { augmentationActive, drawAugmentation, drawToMatrix } from './draw.ts';
import { IDENTITY, toTransformVector } from './homography.ts';

/**
 * Per-image `tf.image.transform` rows [B, 8] for a batch, or null when no image changes.
 * Image i uses the stream `deriveSeed(seed, i)`, so the same seed gives the same batch.
 */
export function batchTransforms(config: AugmentConfig, batch: number, width: number, height: number, seed: number): number[][] | null {
  if (!augmentationActive(config)) return null;
  let any = false;
  const rows: number[][] = [];
  for (let i = 0; i < batch; i++) {
    const matrix = drawToMatrix(drawAugmentation(createRandom(deriveSeed(seed, i)), config, width, height), width, height);
    any ||= matrix !== null;
    rows.push(toTransformVector(matrix ?? IDENTITY));
  }
  return any ? rows : null;
}

/**
 * Augments a batch on the device: one projective transform per image (flip ∘ rotation ∘
 * perspective composed), bilinear, fill 0. Apply it to resized pixels BEFORE normalisation, so that
 * fill 0 is black, as torchvision's fill=0 on the PIL image is (our pipeline is torchvision's
 * Resize → RandomHorizontalFlip → RandomRotation → RandomPerspective → ToTensor → Normalize;
 * augmenting after the resize makes it one batched op on a uniform [B, S, S, 3] tensor).
 * Returns a new tensor (the input is not disposed); the caller owns it.
 */
export function augmentBatch(pixels: tf.Tensor4D, config: AugmentConfig, seed: number): tf.Tensor4D {
  const [batch, height, width] = pixels.shape;
  const rows = batchTransforms(config, batch, width, height, seed);
  if (rows === null) return tf.clone(pixels);
  return tf.tidy(() => {
    if (tf.getBackend() !== 'cpu') {
      return tf.image.transform(pixels, tf.tensor2d(rows), 'bilinear', 'constant', 0);
    }
    // tfjs 4.22's CPU Transform gets only image 0 of a batch right (checked: images 1.. differ), so one image at a time.
    const images = tf
      .unstack(pixels)
      .map((image, i) =>
        tf.image.transform(tf.expandDims(image, 0) as tf.Tensor4D, tf.tensor2d([rows[i] as number[]]), 'bilinear', 'constant', 0),
      );
    return tf.concat(images);
  });
}
