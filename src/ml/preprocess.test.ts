import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGENET_MEAN, IMAGENET_STD, normalizeImageBatch } from './preprocess.ts';
import { useWasmBackend } from './testing/node-backend.ts';

/** torchvision's arithmetic in float32: ToTensor (x / 255) then Normalize ((v − mean) / std). */
const torchvision = (pixel: number, c: number): number => {
  const v = Math.fround(pixel / 255);
  return Math.fround(Math.fround(v - Math.fround(IMAGENET_MEAN[c]!)) / Math.fround(IMAGENET_STD[c]!));
};

describe('normalizeImageBatch', () => {
  beforeAll(useWasmBackend);

  it('matches torchvision ToTensor + Normalize for RGB', () => {
    const pixels = [0, 1, 127, 128, 254, 255];
    const rgb = tf.tensor4d(new Uint8Array(pixels.flatMap((p) => [p, 255 - p, p])), [1, 2, 3, 3], 'int32');
    const out = normalizeImageBatch(rgb);
    expect(out.dtype).toBe('float32');
    const got = out.dataSync();
    pixels.forEach((p, i) => {
      [p, 255 - p, p].forEach((v, c) => expect(got[i * 3 + c]).toBeCloseTo(torchvision(v, c), 6));
    });
    tf.dispose([rgb, out]);
  });

  it('repeats grayscale to three channels before normalising', () => {
    const gray = tf.tensor4d([0, 200], [1, 1, 2, 1], 'int32');
    const out = normalizeImageBatch(gray);
    expect(out.shape).toEqual([1, 1, 2, 3]);
    const got = Array.from(out.dataSync());
    [0, 200].forEach((p, i) => [0, 1, 2].forEach((c) => expect(got[i * 3 + c]).toBeCloseTo(torchvision(p, c), 6)));
    tf.dispose([gray, out]);
  });

  it('rejects other channel counts', () => {
    const rgba = tf.zeros([1, 2, 2, 4], 'int32') as tf.Tensor4D;
    expect(() => normalizeImageBatch(rgba)).toThrow(/1 or 3 channels/);
    rgba.dispose();
  });
});
