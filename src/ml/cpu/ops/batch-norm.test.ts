import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/random.ts';
import { BN_EPSILON, BN_MOMENTUM } from '../../batch-norm.ts';
import { relativeError } from '../../testing/conv-cases.ts';
import type { CpuEngine } from '../engine.ts';
import { engineMemory, type EngineMemory } from '../testing/engine-memory.ts';
import { createTestEngine, type TestHeap } from '../testing/node-engine.ts';
import { TEST_VARIANTS } from '../testing/variants.ts';
import { batchNormBackward, batchNormForward } from './batch-norm.ts';

interface Case {
  readonly shape: [number, number, number, number];
  readonly relu: boolean;
  readonly residual: boolean;
}

const CASES: Case[] = [];
for (const shape of [
  [2, 5, 3, 4],
  [3, 4, 4, 16],
  [1, 7, 9, 12],
  [4, 8, 8, 64],
  [2, 2, 2, 256],
] as [number, number, number, number][])
  for (const relu of [false, true]) for (const residual of [false, true]) CASES.push({ shape, relu, residual });

const values = (n: number, seed: number, lo = -2, hi = 3): Float32Array => mulberry32(seed).uniform(n, lo, hi);

/**
 * The reference: PyTorch's BatchNorm2d in training mode written with tf ops on the cpu backend (batch
 * mean, biased variance; running stats with the unbiased one), then + residual and ReLU, and the
 * gradients of sum(out · r) by tfjs' autodiff.
 */
function reference(c: Case) {
  const [n, h, w, ch] = c.shape;
  const size = n * h * w * ch;
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size, 1), c.shape);
    const res = tf.tensor4d(values(size, 2), c.shape);
    const gamma = tf.tensor1d(values(ch, 3, 0.5, 1.5));
    const beta = tf.tensor1d(values(ch, 4, -0.5, 0.5));
    const r = tf.tensor4d(values(size, 5, -1, 1), c.shape);
    const forward = (xv: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D, rv: tf.Tensor4D): tf.Tensor4D => {
      const { mean, variance } = tf.moments(xv, [0, 1, 2]);
      let y = tf.add(tf.mul(tf.div(tf.sub(xv, mean), tf.sqrt(tf.add(variance, BN_EPSILON))), g), b) as tf.Tensor4D;
      if (c.residual) y = tf.add(y, rv);
      return c.relu ? tf.relu(y) : y;
    };
    const loss = (...v: tf.Tensor[]): tf.Scalar =>
      tf.sum(tf.mul(forward(v[0] as tf.Tensor4D, v[1] as tf.Tensor1D, v[2] as tf.Tensor1D, (v[3] ?? res) as tf.Tensor4D), r));
    // tfjs refuses the gradient of an input the function does not use: the residual only when added.
    const grads = tf.grads(loss)(c.residual ? [x, gamma, beta, res] : [x, gamma, beta]);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const rows = n * h * w;
    const read = (t: tf.Tensor): Float32Array => t.dataSync() as Float32Array;
    return {
      x: read(x),
      res: read(res),
      gamma: read(gamma),
      beta: read(beta),
      r: read(r),
      y: read(forward(x, gamma, beta, res)),
      mean: read(mean),
      invStd: read(tf.rsqrt(tf.add(variance, BN_EPSILON))),
      runMean: read(tf.mul(mean, BN_MOMENTUM)),
      runVar: read(tf.add(1 - BN_MOMENTUM, tf.mul(variance, (BN_MOMENTUM * rows) / (rows - 1)))),
      dx: read(grads[0]!),
      dGamma: read(grads[1]!),
      dBeta: read(grads[2]!),
      dRes: c.residual ? read(grads[3]!) : new Float32Array(0),
    };
  });
}

beforeAll(() => tf.setBackend('cpu'));

describe.each(TEST_VARIANTS)('fused BatchNorm on the CPU kernels, $name', ({ threads, fma }) => {
  let engine: CpuEngine;
  let heap: TestHeap;
  let mem: EngineMemory;
  beforeAll(async () => {
    ({ engine, heap } = await createTestEngine({ threads, fma }));
    mem = engineMemory(engine, heap);
  });
  afterAll(() => engine.dispose());

  it.each(CASES.map((c) => [`${c.shape.join('x')}${c.relu ? ' relu' : ''}${c.residual ? ' residual' : ''}`, c] as const))(
    '%s: forward, running stats and backward equal the tf-ops reference',
    (_name, c) => {
      const ref = reference(c);
      const ch = c.shape[3];
      const size = ref.x.length;
      const rows = size / ch;
      const mark = heap.mark;
      const zeros = new Float32Array(ch);
      const ones = new Float32Array(ch).fill(1);
      const p = {
        x: mem.put(ref.x),
        gamma: mem.put(ref.gamma),
        beta: mem.put(ref.beta),
        residual: c.residual ? mem.put(ref.res) : 0,
        runMean: mem.put(zeros),
        runVar: mem.put(ones),
        y: mem.output(size),
        mean: mem.output(ch),
        invStd: mem.output(ch),
        newRunMean: mem.output(ch),
        newRunVar: mem.output(ch),
      };
      batchNormForward(engine, rows, ch, c.relu, BN_EPSILON, BN_MOMENTUM, p);
      expect(relativeError(mem.read(p.y, size), ref.y), 'y').toBeLessThan(2e-6);
      expect(relativeError(mem.read(p.mean, ch), ref.mean), 'mean').toBeLessThan(2e-6);
      expect(relativeError(mem.read(p.invStd, ch), ref.invStd), 'invStd').toBeLessThan(2e-6);
      expect(relativeError(mem.read(p.newRunMean, ch), ref.runMean), 'running mean').toBeLessThan(2e-6);
      expect(relativeError(mem.read(p.newRunVar, ch), ref.runVar), 'running var').toBeLessThan(2e-6);
      const g = {
        dy: mem.put(ref.r),
        x: p.x,
        y: p.y,
        mean: p.mean,
        invStd: p.invStd,
        gamma: p.gamma,
        dx: mem.output(size),
        dGamma: mem.output(ch),
        dBeta: mem.output(ch),
        dResidual: c.residual ? mem.output(size) : 0,
      };
      batchNormBackward(engine, rows, ch, c.relu, g);
      expect(relativeError(mem.read(g.dx, size), ref.dx), 'dx').toBeLessThan(2e-5);
      expect(relativeError(mem.read(g.dGamma, ch), ref.dGamma), 'dGamma').toBeLessThan(2e-5);
      expect(relativeError(mem.read(g.dBeta, ch), ref.dBeta), 'dBeta').toBeLessThan(2e-5);
      if (c.residual) expect(relativeError(mem.read(g.dResidual, size), ref.dRes), 'dResidual').toBeLessThan(1e-7);
      heap.reset(mark);
    },
  );
});
