import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explicitPad, type Pad, relativeError, seeded } from './testing/conv-cases.ts';
import { useWasmBackendWith } from './testing/node-backend.ts';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter.ts';
import { WASM_CONV_PATH_FLAG } from './wasm-conv-plan.ts';

interface Case {
  readonly k: number;
  readonly stride: number;
  readonly pad: Pad;
  readonly size: number;
  readonly batch: number;
  readonly ci: number;
  readonly co: number;
}

async function filterGrad(backend: string, c: Case): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const outShape = tf.backend_util.computeConv2DInfo([c.batch, c.size, c.size, c.ci], [c.k, c.k, c.ci, c.co], c.stride, 1, c.pad).outShape;
  const [x, w, r] = [seeded([c.batch, c.size, c.size, c.ci], 1), seeded([c.k, c.k, c.ci, c.co], 2), seeded(outShape, 3)];
  const dW = tf.grad((wv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, wv as tf.Tensor4D, c.stride, c.pad), r)))(w);
  const result = { values: dW.dataSync() as Float32Array, shape: dW.shape };
  tf.dispose([x, w, r, dW]);
  return result;
}

const CHANNELS: ReadonlyArray<readonly [number, number]> = [
  [3, 4],
  [5, 8],
  [16, 6],
];
const CASES: Case[] = [];
for (const k of [1, 3, 7]) {
  const pads: Pad[] = ['same', 'valid', explicitPad(k === 1 ? 1 : (k - 1) / 2)];
  for (const stride of [1, 2])
    for (const pad of pads)
      for (const size of [8, 9])
        for (const batch of [1, 3]) {
          const [ci, co] = CHANNELS[CASES.length % CHANNELS.length] ?? [3, 4];
          CASES.push({ k, stride, pad, size, batch, ci, co });
        }
}
// Asymmetric explicit padding, and a case whose every window lies in the padding (zero gradient).
CASES.push({
  k: 3,
  stride: 2,
  pad: [
    [0, 0],
    [2, 0],
    [0, 1],
    [0, 0],
  ],
  size: 9,
  batch: 2,
  ci: 4,
  co: 3,
});
CASES.push({
  k: 1,
  stride: 3,
  pad: [
    [0, 0],
    [2, 0],
    [2, 0],
    [0, 0],
  ],
  size: 1,
  batch: 2,
  ci: 3,
  co: 4,
});

/** The two orientations of the 1x1 gradient's matrix product, forced in turn; 'auto' picks one by cost. */
const PATHS = ['gemm', 'gemm-swapped'] as const;

let worstError = 0;

beforeAll(() => useWasmBackendWith(registerWasmConv2DBackpropFilter));

afterAll(() => {
  console.log(
    `wasm Conv2DBackpropFilter: worst relative error over ${CASES.length} cases x ${PATHS.length} paths = ${worstError.toExponential(2)}`,
  );
});

describe('registerWasmConv2DBackpropFilter', () => {
  it('registers the kernel once and is idempotent', () => {
    const kernel = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm');
    expect(kernel).toBeDefined();
    registerWasmConv2DBackpropFilter();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBe(kernel);
  });

  it.each(
    PATHS.flatMap((p) =>
      CASES.map(
        (c) =>
          [
            `${p}: ${c.k}x${c.k} s${c.stride} ${typeof c.pad === 'string' ? c.pad : `pad${c.pad[1][0]}`} ${c.size}px b${c.batch} ${c.ci}->${c.co}`,
            p,
            c,
          ] as const,
      ),
    ),
  )('matches cpu: %s', async (_name, p, c) => {
    const reference = await filterGrad('cpu', c);
    tf.env().set(WASM_CONV_PATH_FLAG, p);
    const actual = await filterGrad('wasm', c).finally(() => tf.env().set(WASM_CONV_PATH_FLAG, 'auto'));
    expect(actual.shape).toEqual([c.k, c.k, c.ci, c.co]);
    expect(reference.shape).toEqual(actual.shape);
    const error = relativeError(actual.values, reference.values);
    worstError = Math.max(worstError, error);
    expect(error).toBeLessThanOrEqual(1e-4);
  });

  it.each(PATHS)('leaves no tensors or backend data behind but the result (%s)', async (p) => {
    await tf.setBackend('wasm');
    tf.env().set(WASM_CONV_PATH_FLAG, p);
    const backend = tf.backend();
    const [x, w] = [seeded([2, 9, 9, 6], 4), seeded([3, 3, 6, 5], 5)];
    for (const [wv, stride, pad] of [
      [w, 2, explicitPad(1)],
      [w, 1, 'valid'],
      [tf.slice(w, [1, 1, 0, 0], [1, 1, 6, 5]), 2, 'same'],
    ] as const) {
      const tensorsBefore = tf.memory().numTensors;
      const dataBefore = backend.numDataIds();
      const dW = tf.grad((v: tf.Tensor) => tf.sum(tf.conv2d(x, v as tf.Tensor4D, stride, pad)))(wv);
      expect(dW.shape).toEqual(wv.shape);
      expect(tf.memory().numTensors).toBe(tensorsBefore + 1);
      expect(backend.numDataIds()).toBe(dataBefore + 1);
      dW.dispose();
      if (wv !== w) wv.dispose();
    }
    tf.dispose([x, w]);
    tf.env().set(WASM_CONV_PATH_FLAG, 'auto');
  });

  it('rejects NCHW with a clear error', async () => {
    await tf.setBackend('wasm');
    const [x, dy] = [seeded([1, 4, 4, 2], 6), seeded([1, 4, 4, 3], 7)];
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] };
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)).toThrow(/only NHWC/);
    tf.dispose([x, dy]);
  });

  it('gives the same input and filter gradients as cpu through a two-conv network', async () => {
    const grads = async (backend: string): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const x = seeded([3, 11, 10, 3], 8);
      const w1 = seeded([3, 3, 3, 8], 9);
      const w2 = seeded([1, 1, 8, 5], 10);
      const r = seeded([3, 6, 5, 5], 11);
      const net = (xv: tf.Tensor, w1v: tf.Tensor, w2v: tf.Tensor): tf.Scalar => {
        const h = tf.relu(tf.conv2d(xv as tf.Tensor4D, w1v as tf.Tensor4D, 2, explicitPad(1)));
        return tf.sum(tf.mul(tf.conv2d(h, w2v as tf.Tensor4D, 1, 'same'), r));
      };
      const gs = tf.grads(net)([x, w1, w2]);
      const values = gs.map((g) => g.dataSync() as Float32Array);
      tf.dispose([x, w1, w2, r, ...gs]);
      return values;
    };
    const reference = await grads('cpu');
    const actual = await grads('wasm');
    expect(actual.map((g) => g.length)).toEqual([3 * 11 * 10 * 3, 3 * 3 * 3 * 8, 8 * 5]);
    reference.forEach((ref, i) => expect(relativeError(actual[i] ?? new Float32Array(), ref)).toBeLessThanOrEqual(1e-4));
  });
});
