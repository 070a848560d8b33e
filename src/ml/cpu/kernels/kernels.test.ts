import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/random.ts';
import { batchNorm2d, type BatchNormVariables } from '../../batch-norm.ts';
import { CONV_CASES, relativeError, seeded, type Shape4 } from '../../testing/conv-cases.ts';
import { useCpuBackend, useCpuKernelVariant, useWasmBackend } from '../../testing/node-backend.ts';
import { MomentumSgd } from '../../train/sgd.ts';
import { heapRefCount } from '../tfjs-wasm-heap.ts';
import { registerCpuTrainingKernels } from './register.ts';

/** Runs `f` on `backend` and returns its outputs' values. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (backend === 'cpu') await useCpuBackend();
  else await useWasmBackend();
  return tf.tidy(() => f().map((t) => t.dataSync() as Float32Array));
}

beforeAll(() => useWasmBackend());

describe('the CPU kernels in tfjs-backend-wasm', () => {
  it('replace Conv2D, Conv2DBackpropInput, MaxPoolGrad and Identity once, and add Conv2DBackpropFilter', () => {
    const names = [tf.Conv2D, tf.Conv2DBackpropInput, tf.Conv2DBackpropFilter, tf.MaxPoolGrad, tf.Identity];
    const before = names.map((n) => tf.getKernel(n, 'wasm'));
    expect(before.every((k) => k !== undefined)).toBe(true);
    registerCpuTrainingKernels();
    expect(names.map((n) => tf.getKernel(n, 'wasm'))).toEqual(before);
  });

  it.each([false, true])('give tfjs cpu’s forward and gradients through tf.conv2d and autodiff (FMA %s)', async (fma) => {
    await useWasmBackend();
    await useCpuKernelVariant(fma);
    for (const c of CONV_CASES.filter((_, i) => i % 7 === 0)) {
      const run = (): tf.Tensor[] => {
        const xShape: Shape4 = [c.batch, c.size, c.size + 1, c.ci];
        const [x, w] = [seeded(xShape, 1), seeded([c.k, c.k, c.ci, c.co], 2)];
        const f = (xv: tf.Tensor, wv: tf.Tensor) => tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, c.stride, c.pad);
        const y = f(x, w);
        const r = seeded(y.shape as Shape4, 3);
        const [dx, dw] = tf.grads((xv, wv) => tf.sum(tf.mul(f(xv, wv), r)))([x, w]);
        return [y, dx!, dw!];
      };
      const expected = await on('cpu', run);
      const actual = await on('wasm', run);
      actual.forEach((values, k) => expect(relativeError(values, expected[k]!), `${k}`).toBeLessThan(2e-6));
    }
    await useCpuKernelVariant(true);
  });

  it('share a tensor’s data on clone (Identity) and leak nothing through a training-mode gradient', async () => {
    await useWasmBackend();
    const backend = tf.backend();
    const x = tf.tensor4d(mulberry32(3).uniform(2 * 8 * 8 * 8, -1, 1), [2, 8, 8, 8]);
    const copy = tf.clone(x);
    expect(heapRefCount(backend, x)).toBe(2);
    copy.dispose();
    expect(heapRefCount(backend, x)).toBe(1);
    const bn = bnVariables(8);
    const tensors = tf.memory().numTensors;
    const dataIds = backend.numDataIds();
    const dx = tf.grad((v: tf.Tensor) => tf.sum(batchNorm2d(tf.maxPool(v as tf.Tensor4D, 3, 2, 1), bn, true, { relu: true })))(x);
    expect(tf.memory().numTensors).toBe(tensors + 1);
    expect(backend.numDataIds()).toBe(dataIds + 1);
    tf.dispose([x, dx, ...Object.values(bn)]);
  });

  it('fuse BatchNorm with the residual add and ReLU as the composed ops compute it, running statistics included', async () => {
    const shape: Shape4 = [2, 5, 6, 16];
    const run = (): tf.Tensor[] => {
      const bn = bnVariables(16);
      const [x, res, r] = [seeded(shape, 4), seeded(shape, 5), seeded(shape, 6)];
      const loss = (xv: tf.Tensor, rv: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(
          tf.mul(
            batchNorm2d(xv as tf.Tensor4D, { ...bn, gamma: g as tf.Variable, beta: b as tf.Variable }, true, {
              relu: true,
              residual: rv as tf.Tensor4D,
            }),
            r,
          ),
        );
      const grads = tf.grads(loss)([x, res, bn.gamma, bn.beta]);
      const out = [...grads, bn.runningMean.clone(), bn.runningVar.clone()];
      tf.dispose(Object.values(bn));
      return out;
    };
    const expected = await on('cpu', run);
    const actual = await on('wasm', run);
    actual.forEach((values, k) => expect(relativeError(values, expected[k]!), `${k}`).toBeLessThan(1e-5));
  });

  it('update parameters in one fused pass as tf ops do on cpu, and the next matrix product sees the new weights', async () => {
    const run = (backend: 'cpu' | 'wasm') => async (): Promise<Float32Array[]> => {
      if (backend === 'cpu') await useCpuBackend();
      else await useWasmBackend();
      const x = tf.tensor2d(mulberry32(5).uniform(4 * 37, -1, 1), [4, 37]);
      const vars = tf.tidy(() => [
        tf.variable(tf.tensor2d(mulberry32(1).uniform(37 * 7, -1, 1), [37, 7])),
        tf.variable(tf.tensor1d(mulberry32(2).uniform(7, -1, 1))),
      ]);
      const clone = tf.clone(vars[0]!);
      const before = clone.dataSync().slice();
      const sgd = new MomentumSgd([{ lr: 0.1, blocks: ['fc'], names: ['w', 'b'], variables: vars }], 0.9, 1e-4);
      for (let step = 0; step < 3; step++) {
        // tfjs-wasm's XNNPACK keeps packed weights per tensor: a product must see each step's new weights.
        const product = tf.matMul(x, vars[0]!);
        const fresh = tf.tidy(() => tf.matMul(x, tf.tensor(vars[0]!.dataSync(), vars[0]!.shape)));
        expect(relativeError(product.dataSync() as Float32Array, fresh.dataSync() as Float32Array)).toBe(0);
        tf.dispose([product, fresh]);
        const grads = Object.fromEntries(
          vars.map((v, i) => [v.name, tf.tensor(mulberry32(10 * step + i).uniform(v.size, -1, 1), v.shape)]),
        );
        sgd.step(grads, 1);
        tf.dispose(Object.values(grads));
      }
      expect(clone.dataSync()).toEqual(before);
      const out = vars.map((v) => v.dataSync() as Float32Array);
      sgd.dispose();
      tf.dispose([x, clone, ...vars]);
      return out;
    };
    const expected = await run('cpu')();
    const actual = await run('wasm')();
    actual.forEach((values, i) => expect(relativeError(values, expected[i]!)).toBeLessThan(1e-6));
  });
});

afterAll(async () => {
  await useWasmBackend();
});

/** A BatchNorm layer's variables (made in a tidy: a variable shares the data of the tensor it starts from). */
function bnVariables(c: number): BatchNormVariables {
  return tf.tidy(() => ({
    gamma: tf.variable(tf.tensor1d(mulberry32(7).uniform(c, 0.5, 1.5))),
    beta: tf.variable(tf.tensor1d(mulberry32(8).uniform(c, -0.5, 0.5))),
    runningMean: tf.variable(tf.zeros([c]), false),
    runningVar: tf.variable(tf.ones([c]), false),
  }));
}
