import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../shared/random.ts';
import { useWasmBackendWith } from './testing/node-backend.ts';
import { CHANNEL_MOMENTS, channelMoments, channelSums, registerWasmChannelSums } from './wasm-channel-sums.ts';

beforeAll(() => useWasmBackendWith(registerWasmChannelSums));

/** [B, H, W, C] values around `offset` (BatchNorm inputs are rarely centred). */
function activations(shape: [number, number, number, number], offset: number, seed: number): tf.Tensor4D {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(
    mulberry32(seed)
      .uniform(n, -3, 3)
      .map((v) => v + offset),
    shape,
  );
}

describe('wasm per-channel kernels', () => {
  it.each([
    [[2, 3, 5, 4], 0],
    [[4, 8, 8, 16], 50],
    [[1, 1, 1, 3], -2],
  ] as const)('channelMoments of %j (offset %d) equals tf.moments bit for bit', (shape, offset) => {
    expect(tf.getKernel(CHANNEL_MOMENTS, 'wasm')).toBeDefined();
    const x = activations([...shape], offset, 7);
    const [mean, variance] = channelMoments(x);
    const reference = tf.moments(x, [0, 1, 2]);
    expect(mean.shape).toEqual([shape[3]]);
    expect([...mean.dataSync()]).toEqual([...reference.mean.dataSync()]);
    expect([...variance.dataSync()]).toEqual([...reference.variance.dataSync()]);
    tf.dispose([x, mean, variance, reference.mean, reference.variance]);
  });

  it('channelSums gives Σa and Σa·b per channel', () => {
    const a = activations([2, 3, 3, 5], 1, 8);
    const b = activations([2, 3, 3, 5], -1, 9);
    const [sum, product] = channelSums(a, b);
    const expectedSum = tf.sum(a, [0, 1, 2]).dataSync();
    const expectedProduct = tf.sum(tf.mul(a, b), [0, 1, 2]).dataSync();
    sum.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expectedSum[i] ?? NaN, 3));
    product.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expectedProduct[i] ?? NaN, 3));
    tf.dispose([a, b, sum, product]);
  });

  it('rejects an int32 input with a clear error', () => {
    const x = tf.zeros([1, 2, 2, 3], 'int32');
    expect(() => channelMoments(x)).toThrow(/ExpressionLabChannelMoments needs a float32 input x/);
    x.dispose();
  });
});
