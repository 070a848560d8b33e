import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AugmentConfig } from '../../shared/types.ts';
import { augmentBatch, batchTransforms } from './augment.ts';
import { DEFAULT_AUGMENT, drawAugmentation, drawToMatrix } from './draw.ts';
import { apply, solveHomography, toTransformVector, type Point } from './homography.ts';
import { previewAugmentations } from './preview.ts';
import { createRandom } from '../../shared/random.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const OFF: AugmentConfig = {
  hflip: { enabled: false, p: 0.5 },
  rotate: { enabled: false, degrees: 10 },
  perspective: { enabled: false, distortion: 0.1, p: 0.5 },
};

/** [B, S, S, 3] with distinct values everywhere. */
function ramp(batch: number, size: number): tf.Tensor4D {
  return tf.tidy(() => tf.reshape(tf.mod(tf.range(0, batch * size * size * 3), 251), [batch, size, size, 3]) as tf.Tensor4D);
}

/** A single-image, single-channel [1, S, S, 1] canvas with one lit pixel. */
function dot(size: number, x: number, y: number): tf.Tensor4D {
  const values = new Float32Array(size * size);
  values[y * size + x] = 255;
  return tf.tensor4d(values, [1, size, size, 1]);
}

async function argMaxXY(image: tf.Tensor4D): Promise<[number, number]> {
  const size = image.shape[2];
  const i = (await tf.argMax(tf.reshape(image, [-1])).data())[0] as number;
  return [i % size, Math.floor(i / size)];
}

describe('homography', () => {
  it('maps the 4 corners exactly onto their targets', () => {
    const from: Point[] = [
      [0, 0],
      [63, 0],
      [63, 63],
      [0, 63],
    ];
    const to: Point[] = [
      [2, 3],
      [60, 1],
      [62, 59],
      [1, 61],
    ];
    const h = solveHomography(from, to);
    from.forEach((p, i) => {
      const [x, y] = apply(h, p);
      expect(x).toBeCloseTo((to[i] as Point)[0], 9);
      expect(y).toBeCloseTo((to[i] as Point)[1], 9);
    });
  });
});

describe('augmentBatch', () => {
  it('is deterministic for a seed and changes with the seed', async () => {
    const x = ramp(4, 16);
    const a = augmentBatch(x, DEFAULT_AUGMENT, 7);
    const b = augmentBatch(x, DEFAULT_AUGMENT, 7);
    const c = augmentBatch(x, { ...DEFAULT_AUGMENT, hflip: { enabled: true, p: 1 } }, 8);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect(Array.from(await a.data())).not.toEqual(Array.from(await c.data()));
    tf.dispose([x, a, b, c]);
  });

  it('is the identity when every transform is off or has probability 0', async () => {
    const x = ramp(3, 12);
    const zero: AugmentConfig = {
      hflip: { enabled: true, p: 0 },
      rotate: { enabled: true, degrees: 0 },
      perspective: { enabled: true, distortion: 0.1, p: 0 },
    };
    for (const config of [OFF, zero]) {
      const y = augmentBatch(x, config, 1);
      expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
      y.dispose();
    }
    tf.dispose(x);
  });

  it('flip-only with p = 1 equals reversing the width axis', async () => {
    const x = ramp(2, 10);
    const y = augmentBatch(x, { ...OFF, hflip: { enabled: true, p: 1 } }, 3);
    const expected = tf.reverse(x, 2);
    expect(Array.from(await y.data())).toEqual(Array.from(await expected.data()));
    tf.dispose([x, y, expected]);
  });

  it('draws rotation angles inside (−deg, +deg) and perspective corners inside the bounds', () => {
    const random = createRandom(11);
    for (let i = 0; i < 200; i++) {
      const d = drawAugmentation(random, { ...DEFAULT_AUGMENT, perspective: { enabled: true, distortion: 0.1, p: 1 } }, 64, 64);
      expect(Math.abs(d.angle)).toBeLessThan(5);
      // distortion 0.1 of half-size 32 → corners move by at most 3 pixels.
      const [tl, tr, br, bl] = d.corners as Point[];
      expect([tl![0] <= 3, tl![1] <= 3, tr![0] >= 60, br![1] >= 60, bl![0] <= 3]).toEqual([true, true, true, true, true]);
    }
  });

  it('gives one transform row per image, identity rows where nothing was drawn', () => {
    const rows = batchTransforms({ ...OFF, hflip: { enabled: true, p: 0.5 } }, 32, 8, 8, 5) as number[][];
    expect(rows).toHaveLength(32);
    const flipped = rows.filter((r) => r[0] === -1).length;
    expect(flipped).toBeGreaterThan(4);
    expect(flipped).toBeLessThan(28);
  });
});

describe('rotation', () => {
  const rotate = (image: tf.Tensor4D, angle: number) =>
    tf.tidy(() => {
      const m = drawToMatrix({ flip: false, angle, corners: null }, image.shape[2], image.shape[1]);
      return tf.image.transform(image, tf.tensor2d([toTransformVector(m!)]), 'bilinear', 'constant', 0);
    });

  it('keeps a centred dot centred', async () => {
    const image = dot(9, 4, 4);
    const rotated = rotate(image, 5);
    expect(await argMaxXY(rotated)).toEqual([4, 4]);
    tf.dispose([image, rotated]);
  });

  it('moves the top-centre pixel to the left-centre at +90° (counter-clockwise)', async () => {
    const image = dot(9, 4, 0);
    const rotated = rotate(image, 90);
    expect(await argMaxXY(rotated)).toEqual([0, 4]);
    expect((await rotated.data())[4 * 9]).toBeCloseTo(255, 3);
    tf.dispose([image, rotated]);
  });
});

describe('previewAugmentations', () => {
  it('returns count uint8 RGB images at the input size, the same for the same seed', async () => {
    const gray = { width: 6, height: 4, channels: 1 as const, pixels: Uint8Array.from({ length: 24 }, (_, i) => i * 10) };
    const a = await previewAugmentations([gray], DEFAULT_AUGMENT, 8, 3, 5);
    const b = await previewAugmentations([gray], DEFAULT_AUGMENT, 8, 3, 5);
    expect(a).toHaveLength(5);
    expect(a[0]).toMatchObject({ width: 8, height: 8, channels: 3 });
    expect(a[0]!.pixels).toBeInstanceOf(Uint8Array);
    expect(a[0]!.pixels.length).toBe(8 * 8 * 3);
    expect(a.map((i) => Array.from(i.pixels))).toEqual(b.map((i) => Array.from(i.pixels)));
  });
});
