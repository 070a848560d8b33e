import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explicitPad, type Pad, relativeError, seeded, type Shape4 } from './testing/conv-cases.ts';
import { useWasmBackendWith } from './testing/node-backend.ts';
import { registerWasmConv2DBackpropInput } from './wasm-conv2d-backprop-input.ts';
import { WASM_CONV_PATH_FLAG, type WasmConvPath } from './wasm-conv-plan.ts';

interface Case {
  readonly k: number;
  readonly stride: number | [number, number];
  readonly pad: Pad;
  readonly size: number;
  readonly batch: number;
  readonly ci: number;
  readonly co: number;
}

/** dx of sum(conv2d(x, w) * r): the Conv2DBackpropInput kernel with a seeded dy = r. */
async function inputGrad(backend: string, c: Case): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const xShape: Shape4 = [c.batch, c.size, c.size + 1, c.ci];
  const wShape: Shape4 = [c.k, c.k, c.ci, c.co];
  const outShape = tf.backend_util.computeConv2DInfo(xShape, wShape, c.stride, 1, c.pad).outShape;
  const [x, w, r] = [seeded(xShape, 1), seeded(wShape, 2), seeded(outShape, 3)];
  const dx = tf.grad((xv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xv as tf.Tensor4D, w, c.stride, c.pad), r)))(x);
  const result = { values: dx.dataSync() as Float32Array, shape: dx.shape };
  tf.dispose([x, w, r, dx]);
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
// Asymmetric and oversized explicit padding, stride 3, windows entirely in the padding, unequal strides (built-in kernel).
CASES.push({ k: 3, stride: 2, pad: explicitPad(2, 0, 0, 1), size: 9, batch: 2, ci: 4, co: 3 });
CASES.push({ k: 3, stride: 1, pad: explicitPad(4, 3, 0, 5), size: 5, batch: 1, ci: 2, co: 3 });
CASES.push({ k: 5, stride: 3, pad: 'same', size: 11, batch: 2, ci: 3, co: 5 });
CASES.push({ k: 1, stride: 3, pad: explicitPad(2, 0), size: 1, batch: 2, ci: 3, co: 4 });
CASES.push({ k: 3, stride: [1, 2], pad: 'same', size: 7, batch: 2, ci: 3, co: 4 });

/** Every way the kernel can compute dx, forced in turn ('auto' picks among them by cost). */
const PATHS: WasmConvPath[] = ['xnnpack', 'gemm', 'gemm-swapped'];

let worstError = 0;

beforeAll(() => useWasmBackendWith(registerWasmConv2DBackpropInput));

afterAll(() => {
  console.log(
    `wasm Conv2DBackpropInput: worst relative error over ${CASES.length} cases x ${PATHS.length} paths = ${worstError.toExponential(2)}`,
  );
});

describe('registerWasmConv2DBackpropInput', () => {
  it('replaces the built-in kernel once and is idempotent', () => {
    const kernel = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
    expect(kernel?.setupFunc).toBeDefined();
    registerWasmConv2DBackpropInput();
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).toBe(kernel);
  });

  it.each(
    PATHS.flatMap((p) =>
      CASES.map(
        (c) =>
          [
            `${p}: ${c.k}x${c.k} s${String(c.stride)} ${typeof c.pad === 'string' ? c.pad : `pad${c.pad[1].join(',')}`} ${c.size}px b${c.batch} ${c.ci}->${c.co}`,
            p,
            c,
          ] as const,
      ),
    ),
  )('matches cpu: %s', async (_name, p, c) => {
    const reference = await inputGrad('cpu', c);
    tf.env().set(WASM_CONV_PATH_FLAG, p);
    const actual = await inputGrad('wasm', c).finally(() => tf.env().set(WASM_CONV_PATH_FLAG, 'auto'));
    expect(actual.shape).toEqual([c.batch, c.size, c.size + 1, c.ci]);
    const error = relativeError(actual.values, reference.values);
    worstError = Math.max(worstError, error);
    expect(error).toBeLessThanOrEqual(1e-5);
  });

  it.each(PATHS)('leaves no tensors or backend data behind but the result (%s)', async (p) => {
    await tf.setBackend('wasm');
    tf.env().set(WASM_CONV_PATH_FLAG, p);
    const backend = tf.backend();
    const [x, w] = [seeded([2, 9, 9, 6], 4), seeded([3, 3, 6, 5], 5)];
    for (const [stride, pad] of [
      [2, explicitPad(1)],
      [1, 'valid'],
      [3, 'same'],
    ] as const) {
      const tensorsBefore = tf.memory().numTensors;
      const dataBefore = backend.numDataIds();
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.conv2d(v as tf.Tensor4D, w, stride, pad)))(x);
      expect(dx.shape).toEqual(x.shape);
      expect(tf.memory().numTensors).toBe(tensorsBefore + 1);
      expect(backend.numDataIds()).toBe(dataBefore + 1);
      dx.dispose();
    }
    tf.dispose([x, w]);
    tf.env().set(WASM_CONV_PATH_FLAG, 'auto');
  });
});
