/**
 * Test support for the wasm kernel tests: seeded NHWC tensors, explicit paddings and the error
 * measure every kernel is held to against the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../shared/random.ts';

/** A conv2d padding as tfjs takes it. */
export type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
export type Shape4 = [number, number, number, number];

/** Uniform values in [-0.5, 0.5) from mulberry32(seed): identical on every backend. */
export function seeded(shape: Shape4, seed: number): tf.Tensor4D {
  return tf.tensor4d(
    mulberry32(seed).uniform(
      shape.reduce((a, b) => a * b, 1),
      -0.5,
      0.5,
    ),
    shape,
  );
}

/** Explicit zero padding of H (top, bottom) and W (left, right); one number pads all four sides. */
export function explicitPad(top: number, bottom = top, left = top, right = bottom): Pad {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** max |actual − reference| relative to max(1, max |reference|). */
export function relativeError(actual: Float32Array, reference: Float32Array): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] ?? NaN) - (reference[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(reference[i] ?? 0));
  }
  return diff / scale;
}
