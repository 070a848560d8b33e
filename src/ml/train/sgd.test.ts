import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MomentumSgd } from './sgd.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('MomentumSgd', () => {
  it('matches two hand-computed PyTorch momentum steps, per group lr × schedule scale', async () => {
    const before = tf.memory().numTensors;
    const a = tf.tidy(() => tf.variable(tf.tensor1d([1, 2])));
    const b = tf.tidy(() => tf.variable(tf.tensor1d([3])));
    const sgd = new MomentumSgd(
      [
        { lr: 0.1, blocks: ['fc'], names: ['a'], variables: [a] },
        { lr: 0.01, blocks: ['layer4'], names: ['b'], variables: [b] },
      ],
      0.9,
    );
    const g1 = { [a.name]: tf.tensor1d([0.5, -1]), [b.name]: tf.tensor1d([2]) };
    const g2 = { [a.name]: tf.tensor1d([0.25, 0.5]), [b.name]: tf.tensor1d([-1]) };
    sgd.step(g1, 1);
    // v1 = g1; a1 = a0 − 0.1·g1 = [0.95, 2.1]; b1 = 3 − 0.01·2 = 2.98
    expect(Array.from(await a.data())).toEqual([expect.closeTo(0.95, 6), expect.closeTo(2.1, 6)]);
    expect((await b.data())[0]).toBeCloseTo(2.98, 6);
    sgd.step(g2, 0.5);
    // v2 = 0.9·v1 + g2 = [0.7, −0.4]; a2 = a1 − 0.05·v2 = [0.915, 2.12]
    // vb2 = 0.9·2 − 1 = 0.8; b2 = 2.98 − 0.005·0.8 = 2.976
    expect(Array.from(await a.data())).toEqual([expect.closeTo(0.915, 6), expect.closeTo(2.12, 6)]);
    expect((await b.data())[0]).toBeCloseTo(2.976, 6);
    tf.dispose([g1, g2, a, b]);
    sgd.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('momentum 0 is plain SGD and keeps no buffers', async () => {
    const a = tf.tidy(() => tf.variable(tf.tensor1d([1])));
    const sgd = new MomentumSgd([{ lr: 0.5, blocks: ['fc'], names: ['a'], variables: [a] }], 0);
    const g = { [a.name]: tf.tensor1d([2]) };
    const before = tf.memory().numTensors;
    sgd.step(g, 1);
    sgd.step(g, 1);
    expect(tf.memory().numTensors).toBe(before);
    expect((await a.data())[0]).toBeCloseTo(-1, 6);
    tf.dispose([g, a]);
    sgd.dispose();
  });
});
