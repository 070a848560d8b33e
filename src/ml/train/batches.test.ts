import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RawImage } from '../../shared/types.ts';
import { batchSlices, epochOrder, labelTensor, loadPixels } from './batches.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const gray = (w: number, h: number, value: number): RawImage => ({
  width: w,
  height: h,
  channels: 1,
  pixels: new Uint8Array(w * h).fill(value),
});

describe('batches', () => {
  it('shuffles deterministically per (seed, epoch) and covers every index once', () => {
    const a = epochOrder(50, 4, 1);
    expect(Array.from(a)).toEqual(Array.from(epochOrder(50, 4, 1)));
    expect(Array.from(a)).not.toEqual(Array.from(epochOrder(50, 4, 2)));
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(batchSlices(a, 16).map((b) => b.length)).toEqual([16, 16, 16, 2]);
  });

  it('resizes mixed sizes to [B, S, S, 3], replicates gray and keeps the batch order', async () => {
    const rgb: RawImage = { width: 2, height: 2, channels: 3, pixels: Uint8Array.from([10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30]) };
    const x = loadPixels([gray(4, 4, 100), rgb, gray(6, 3, 50), gray(4, 4, 200)], 5, 'stretch');
    expect(x.shape).toEqual([4, 5, 5, 3]);
    const means = await tf.mean(x, [1, 2]).array();
    expect(means).toEqual(
      [
        [100, 100, 100],
        [10, 20, 30],
        [50, 50, 50],
        [200, 200, 200],
      ].map((row) => row.map((v) => expect.closeTo(v, 3))),
    );
    x.dispose();
  });

  it('centre-crops before resizing in center-crop mode', async () => {
    const pixels = new Uint8Array(6 * 2); // 6 wide, 2 high: middle 2 columns are 255
    for (const y of [0, 1]) pixels.set([0, 0, 255, 255, 0, 0], y * 6);
    const x = loadPixels([{ width: 6, height: 2, channels: 1, pixels }], 2, 'center-crop');
    expect(Array.from(await x.data())).toEqual(new Array(12).fill(255));
    x.dispose();
  });

  it('reads labels in batch order', async () => {
    const labels = labelTensor([{ classIndex: 2 }, { classIndex: 0 }, { classIndex: 1 }], [2, 0]);
    expect(Array.from(await labels.data())).toEqual([1, 2]);
    labels.dispose();
  });
});
