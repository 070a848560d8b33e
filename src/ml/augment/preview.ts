import * as tf from '@tensorflow/tfjs';
import type { AugmentConfig, RawImage, TrainConfig } from '../../shared/types.ts';
import { loadPixels } from '../train/batches.ts';
import { deriveSeed } from '../train/random.ts';
import { augmentBatch } from './augment.ts';

/**
 * `count` augmented versions of `images` (cycled) at `inputSize`, as uint8 RGB for the UI's preview
 * grid: exactly what the training step feeds the network before normalisation. Same seed, same
 * grid. Async because it reads pixels back from the device.
 */
export async function previewAugmentations(
  images: readonly RawImage[],
  config: AugmentConfig,
  inputSize: number,
  seed: number,
  count: number,
  resizeMode: TrainConfig['resizeMode'] = 'stretch',
): Promise<RawImage[]> {
  if (images.length === 0 || count <= 0) return [];
  const sources = Array.from({ length: count }, (_, k) => images[k % images.length] as RawImage);
  const out = tf.tidy(() => {
    const pixels = loadPixels(sources, inputSize, resizeMode);
    const augmented = augmentBatch(pixels, config, deriveSeed(seed, 0x9e11));
    return tf.cast(tf.clipByValue(tf.round(augmented), 0, 255), 'int32');
  });
  const values = await out.data();
  out.dispose();
  const frame = inputSize * inputSize * 3;
  return sources.map((_, k) => ({
    width: inputSize,
    height: inputSize,
    channels: 3 as const,
    pixels: Uint8Array.from(values.subarray(k * frame, (k + 1) * frame)),
  }));
}
