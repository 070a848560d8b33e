import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useCpuBackend, useWasmBackend } from '../testing/node-backend.ts';
import { augmentBatch } from './augment.ts';
import { DEFAULT_AUGMENT } from './draw.ts';

const config = { ...DEFAULT_AUGMENT, hflip: { enabled: true, p: 0.5 }, perspective: { enabled: true, distortion: 0.3, p: 0.7 } };

async function augmentOn(use: () => Promise<void>): Promise<Float32Array> {
  await use();
  const x = tf.tidy(() => tf.reshape(tf.mod(tf.range(0, 6 * 20 * 20 * 3), 253), [6, 20, 20, 3]) as tf.Tensor4D);
  const y = augmentBatch(x, config, 99);
  const values = (await y.data()) as Float32Array;
  tf.dispose([x, y]);
  return values;
}

describe('augmentBatch on wasm', () => {
  it('the batched transform (one op for the batch) equals the per-image cpu reference', async () => {
    const cpu = await augmentOn(useCpuBackend);
    const wasm = await augmentOn(useWasmBackend);
    let maxAbs = 0;
    cpu.forEach((v, i) => (maxAbs = Math.max(maxAbs, Math.abs(v - (wasm[i] as number)))));
    expect(maxAbs).toBeLessThan(1e-2);
    await useCpuBackend();
  });
});
