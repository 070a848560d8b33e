import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../shared/random.ts';
import { useWasmBackendWith } from './testing/node-backend.ts';
import { registerWasmMaxPoolGrad } from './wasm-max-pool-grad.ts';

type Pad = 'same' | 'valid' | number;

beforeAll(() => useWasmBackendWith(registerWasmMaxPoolGrad));

/**
 * dx of sum(maxPool(x) * r) on `backend`. `ties` draws x from a few integers (many equal maxima,
 * zeros and negatives, as after a ReLU), else from a continuous range.
 */
async function poolGrad(
  backend: string,
  shape: [number, number, number, number],
  k: number,
  stride: number,
  pad: Pad,
  ties: boolean,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = mulberry32(11).uniform(n, -2, 3);
  const x = tf.tensor4d(ties ? values.map((v) => Math.max(0, Math.round(v))) : values, shape);
  const y = tf.maxPool(x, k, stride, pad);
  const r = tf.tensor4d(mulberry32(12).uniform(y.size, -1, 1), y.shape);
  const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, k, stride, pad), r)))(x);
  const out = dx.dataSync() as Float32Array;
  tf.dispose([x, y, r, dx]);
  return out;
}

describe('registerWasmMaxPoolGrad', () => {
  it('replaces the built-in kernel once, keeping its setup', () => {
    const kernel = tf.getKernel(tf.MaxPoolGrad, 'wasm');
    expect(kernel?.setupFunc).toBeDefined();
    registerWasmMaxPoolGrad();
    expect(tf.getKernel(tf.MaxPoolGrad, 'wasm')).toBe(kernel);
  });

  const cases: [number, number, Pad, [number, number, number, number]][] = [
    [3, 2, 1, [2, 9, 8, 5]],
    [3, 2, 'same', [2, 8, 8, 4]],
    [2, 2, 'valid', [1, 7, 9, 3]],
    [3, 1, 'same', [2, 5, 5, 6]],
    [3, 3, 0, [1, 10, 10, 2]],
  ];
  it.each(
    cases.flatMap(([k, s, p, shape]) =>
      [true, false].map((ties) => [`${k}x${k} s${s} pad ${p} ${shape.join('x')}${ties ? ' ties' : ''}`, k, s, p, shape, ties] as const),
    ),
  )('matches cpu: %s', async (_name, k, s, p, shape, ties) => {
    const reference = await poolGrad('cpu', shape, k, s, p, ties);
    const actual = await poolGrad('wasm', shape, k, s, p, ties);
    expect(actual.length).toBe(reference.length);
    actual.forEach((v, i) => expect(v).toBeCloseTo(reference[i] ?? NaN, 6));
  });

  it('leaves no tensors or backend data behind but the result', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tf.tensor4d(mulberry32(3).uniform(2 * 8 * 8 * 3, -1, 1), [2, 8, 8, 3]);
    const tensorsBefore = tf.memory().numTensors;
    const dataBefore = backend.numDataIds();
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 3, 2, 1)))(x);
    expect(tf.memory().numTensors).toBe(tensorsBefore + 1);
    expect(backend.numDataIds()).toBe(dataBefore + 1);
    tf.dispose([x, dx]);
  });
});
