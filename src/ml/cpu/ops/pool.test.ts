import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/random.ts';
import { relativeError } from '../../testing/conv-cases.ts';
import type { CpuEngine } from '../engine.ts';
import { engineMemory, type EngineMemory } from '../testing/engine-memory.ts';
import { createTestEngine, type TestHeap } from '../testing/node-engine.ts';
import { TEST_VARIANTS } from '../testing/variants.ts';
import { globalAvgPool, globalAvgPoolGrad, maxPool, maxPoolGrad } from './pool.ts';

type Pad = 'same' | 'valid' | number;
const MAX_POOL_CASES: [number, number, Pad, [number, number, number, number]][] = [
  [3, 2, 1, [2, 9, 8, 5]],
  [3, 2, 'same', [2, 8, 8, 4]],
  [2, 2, 'valid', [1, 7, 9, 3]],
  [3, 1, 'same', [2, 5, 5, 6]],
  [3, 3, 0, [1, 10, 10, 2]],
  [3, 2, 1, [2, 16, 16, 64]],
];

beforeAll(() => tf.setBackend('cpu'));

describe.each(TEST_VARIANTS)('pooling on the CPU kernels, $name', ({ threads, fma }) => {
  let engine: CpuEngine;
  let heap: TestHeap;
  let mem: EngineMemory;
  beforeAll(async () => {
    ({ engine, heap } = await createTestEngine({ threads, fma }));
    mem = engineMemory(engine, heap);
  });
  afterAll(() => engine.dispose());

  it.each(
    MAX_POOL_CASES.flatMap(([k, s, p, shape]) =>
      [true, false].map((ties) => [`${k}x${k} s${s} pad ${p} ${shape.join('x')}${ties ? ' ties' : ''}`, k, s, p, shape, ties] as const),
    ),
  )('max pool %s and its gradient equal tfjs cpu (ties go to the first maximum)', (_name, k, s, p, shape, ties) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const raw = mulberry32(11).uniform(n, -2, 3);
    // Ties: a few integers (many equal maxima, zeros and negatives, as after a ReLU).
    const xv = ties ? raw.map((v) => Math.max(0, Math.round(v))) : raw;
    const ref = tf.tidy(() => {
      const x = tf.tensor4d(xv, shape);
      const y = tf.maxPool(x, k, s, p);
      const r = tf.tensor4d(mulberry32(12).uniform(y.size, -1, 1), y.shape);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, k, s, p), r)))(x);
      return {
        r: r.dataSync() as Float32Array,
        y: y.dataSync() as Float32Array,
        dx: dx.dataSync() as Float32Array,
        info: tf.backend_util.computePool2DInfo(shape, k, s, 1, p),
      };
    });
    const mark = heap.mark;
    const i = ref.info;
    // prettier-ignore
    const g = {
      n: i.batchSize, h: i.inHeight, w: i.inWidth, c: i.inChannels, oh: i.outHeight, ow: i.outWidth,
      kh: i.filterHeight, kw: i.filterWidth, sh: i.strideHeight, sw: i.strideWidth, padTop: i.padInfo.top, padLeft: i.padInfo.left,
    };
    const x = mem.put(xv);
    const dx = mem.output(n);
    maxPoolGrad(engine, g, x, mem.put(ref.r), dx);
    expect(relativeError(mem.read(dx, n), ref.dx)).toBeLessThan(1e-6);
    if (i.inChannels % 4 === 0) {
      const y = mem.output(ref.y.length);
      maxPool(engine, g, x, y);
      expect(mem.read(y, ref.y.length)).toEqual(ref.y);
    }
    heap.reset(mark);
  });

  it.each([
    [2, 4, 4, 8],
    [3, 7, 7, 64],
    [1, 1, 1, 2048],
  ])('global average pool %ix%ix%ix%i and its gradient equal tfjs cpu', (n, h, w, c) => {
    const size = n * h * w * c;
    const x = mulberry32(5).uniform(size, -1, 1);
    const dy = mulberry32(6).uniform(n * c, -1, 1);
    const ref = tf.tidy(() => {
      const xt = tf.tensor4d(x, [n, h, w, c]);
      const dyt = tf.tensor2d(dy, [n, c]);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mean(v, [1, 2]), dyt)))(xt);
      return { y: tf.mean(xt, [1, 2]).dataSync() as Float32Array, dx: dx.dataSync() as Float32Array };
    });
    const mark = heap.mark;
    const y = mem.output(n * c);
    const dx = mem.output(size);
    globalAvgPool(engine, n, h * w, c, mem.put(x), y);
    globalAvgPoolGrad(engine, n, h * w, c, mem.put(dy), dx);
    expect(relativeError(mem.read(y, n * c), ref.y)).toBeLessThan(1e-6);
    expect(relativeError(mem.read(dx, size), ref.dx)).toBeLessThan(1e-6);
    heap.reset(mark);
  });
});
