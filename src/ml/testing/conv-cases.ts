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

/** One convolution of the kernel tests: input [batch, size, size + 1, ci] (not square), filter k x k x ci x co. */
export interface ConvCase {
  readonly k: number;
  readonly stride: number | [number, number];
  readonly pad: Pad;
  readonly size: number;
  readonly batch: number;
  readonly ci: number;
  readonly co: number;
}

/** A short label for test names: "3x3 s2 same 9px b3 5->8". */
export function convCaseName(c: ConvCase): string {
  const pad = typeof c.pad === 'string' ? c.pad : `pad${c.pad[1].join(',')}/${c.pad[2].join(',')}`;
  return `${c.k}x${c.k} s${String(c.stride)} ${pad} ${c.size}px b${c.batch} ${c.ci}->${c.co}`;
}

/**
 * The one table every convolution kernel is checked on (forward, input gradient, filter gradient;
 * the CPU kernels and the WebGPU ones): kernels 1, 3, 5, 7; strides 1, 2, 3 and unequal; odd and even
 * sizes; same, valid, explicit, asymmetric and oversized padding; channel counts below, at and
 * above a SIMD width, and ResNet-like multiples of 16.
 */
export const CONV_CASES: readonly ConvCase[] = (() => {
  const channels: ReadonlyArray<readonly [number, number]> = [
    [3, 4],
    [5, 8],
    [16, 6],
    [20, 32],
  ];
  const cases: ConvCase[] = [];
  for (const k of [1, 3, 5, 7]) {
    const pads: Pad[] = ['same', 'valid', explicitPad(k === 1 ? 1 : (k - 1) / 2)];
    for (const stride of [1, 2])
      for (const pad of pads)
        for (const size of [8, 9]) {
          const [ci, co] = channels[cases.length % channels.length] ?? [3, 4];
          cases.push({ k, stride, pad, size, batch: 1 + (cases.length % 3), ci, co });
        }
  }
  cases.push({ k: 3, stride: 2, pad: explicitPad(2, 0, 0, 1), size: 9, batch: 2, ci: 4, co: 3 });
  cases.push({ k: 3, stride: 1, pad: explicitPad(4, 3, 0, 5), size: 5, batch: 1, ci: 2, co: 3 });
  cases.push({ k: 5, stride: 3, pad: 'same', size: 11, batch: 2, ci: 3, co: 5 });
  cases.push({ k: 7, stride: 3, pad: explicitPad(3), size: 13, batch: 1, ci: 3, co: 64 });
  cases.push({ k: 1, stride: 3, pad: explicitPad(2, 0), size: 1, batch: 2, ci: 3, co: 4 });
  cases.push({ k: 3, stride: [1, 2], pad: 'same', size: 7, batch: 2, ci: 3, co: 4 });
  cases.push({ k: 3, stride: 2, pad: explicitPad(1), size: 7, batch: 2, ci: 64, co: 128 });
  cases.push({ k: 1, stride: 2, pad: 'valid', size: 6, batch: 3, ci: 128, co: 80 });
  return cases;
})();
