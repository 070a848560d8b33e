import * as tf from '@tensorflow/tfjs';
import type { RawImage, TrainConfig } from '../../shared/types.ts';
import { fnv1a } from '../../shared/hash.ts';
import { createRandom, permutation } from '../../shared/random.ts';
import { deriveSeed } from './random.ts';

/** Stream ids for `deriveSeed`, so shuffling and augmentation never share random numbers. */
export const SHUFFLE_STREAM = 1;
export const AUGMENT_STREAM = 2;

/**
 * Order in which the training split is visited in a 1-based epoch. Depends only on the run seed,
 * the epoch and the split size, so every regime sees the same images in the same order.
 */
export function epochOrder(size: number, seed: number, epoch: number): Int32Array {
  return permutation(size, createRandom(deriveSeed(seed, SHUFFLE_STREAM, epoch)));
}

/** The random streams of a run at one batch of an epoch, as numbers a checkpoint can hold and a resume compare. */
export interface RandomStreamState {
  /** Seed of the epoch's shuffle, and a hash of the order it gives. */
  readonly shuffle: number;
  readonly order: number;
  /** Seed of the augmentation of the next batch. */
  readonly augment: number;
}

/**
 * The data-order and augmentation streams where batch `nextBatch` (0-based) of a 1-based epoch
 * begins, as this build derives them. A checkpoint stores them; resuming with streams that differ
 * (an app whose random numbers changed in between) would not continue the same run.
 */
export function randomStreamState(size: number, seed: number, epoch: number, nextBatch: number): RandomStreamState {
  return {
    shuffle: deriveSeed(seed, SHUFFLE_STREAM, epoch),
    order: fnv1a(epochOrder(size, seed, epoch)),
    augment: deriveSeed(seed, AUGMENT_STREAM, epoch, nextBatch),
  };
}

/** Index ranges of the batches of an epoch (the last one may be short, like DataLoader without drop_last). */
export function batchSlices(order: Int32Array, batchSize: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let start = 0; start < order.length; start += batchSize) out.push(order.subarray(start, start + batchSize));
  return out;
}

/** Python's round(): halves go to the even neighbour (torchvision's center_crop offsets use it). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** One upload and one resize for images that share a size: [g, h, w, c] → [g, S, S, 3], 0..255. */
function loadGroup(images: readonly RawImage[], inputSize: number, resizeMode: TrainConfig['resizeMode']): tf.Tensor4D {
  const { width, height, channels } = images[0] as RawImage;
  const frame = width * height * channels;
  const values = new Float32Array(images.length * frame);
  images.forEach((image, i) => values.set(image.pixels.subarray(0, frame), i * frame));
  let x: tf.Tensor4D = tf.tensor4d(values, [images.length, height, width, channels]);
  if (resizeMode === 'center-crop' && width !== height) {
    const side = Math.min(width, height);
    const top = roundHalfEven((height - side) / 2);
    const left = roundHalfEven((width - side) / 2);
    x = tf.slice(x, [0, top, left, 0], [-1, side, side, -1]);
  }
  if (x.shape[1] !== inputSize || x.shape[2] !== inputSize) {
    // halfPixelCenters = PyTorch align_corners=False / PIL's sampling grid.
    x = tf.image.resizeBilinear(x, [inputSize, inputSize], false, true);
  }
  return channels === 1 ? tf.tile(x, [1, 1, 1, 3]) : x;
}

/**
 * Uploads images and resizes them on the device: [B, S, S, 3] float32 RGB in 0..255 (grayscale
 * replicated), in the order given. Images are grouped by source size so a same-size batch is one
 * upload and one resize. The caller owns the result.
 */
export function loadPixels(images: readonly RawImage[], inputSize: number, resizeMode: TrainConfig['resizeMode']): tf.Tensor4D {
  return tf.tidy(() => {
    const groups = new Map<string, number[]>();
    images.forEach((image, i) => {
      const key = `${image.width}x${image.height}x${image.channels}`;
      const members = groups.get(key) ?? [];
      members.push(i);
      groups.set(key, members);
    });
    const parts = [...groups.values()];
    if (parts.length === 1) return loadGroup(images, inputSize, resizeMode);
    const grouped = tf.concat(
      parts.map((members) =>
        loadGroup(
          members.map((i) => images[i] as RawImage),
          inputSize,
          resizeMode,
        ),
      ),
    );
    const position = new Int32Array(images.length);
    parts.flat().forEach((imageIndex, row) => (position[imageIndex] = row));
    return tf.gather(grouped, position);
  });
}

/** Labels of the images at `indices`, int32 [B]. The caller owns the result. */
export function labelTensor(images: readonly { readonly classIndex: number }[], indices: ArrayLike<number>): tf.Tensor1D {
  return tf.tensor1d(
    Int32Array.from(indices, (i) => (images[i] as { classIndex: number }).classIndex),
    'int32',
  );
}
