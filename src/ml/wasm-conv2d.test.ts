import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardPath, inputGradientPath, pointwiseFilterGradientPath, WASM_CONV_PATH_FLAG, type WasmConvPath } from './wasm-conv-plan.ts';
import { registerWasmConv2D } from './wasm-conv2d.ts';
import { explicitPad, type Pad, relativeError, seeded } from './testing/conv-cases.ts';
import { useWasmBackendWith } from './testing/node-backend.ts';
import type { ConvWindows } from './wasm-im2col.ts';

interface Case {
  readonly k: number;
  readonly stride: number | [number, number];
  readonly pad: Pad;
  readonly size: number;
  readonly batch: number;
  readonly ci: number;
  readonly co: number;
}

async function forward(backend: string, c: Case): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const [x, w] = [seeded([c.batch, c.size, c.size + 1, c.ci], 1), seeded([c.k, c.k, c.ci, c.co], 2)];
  const y = tf.conv2d(x, w, c.stride, c.pad);
  const result = { values: y.dataSync() as Float32Array, shape: y.shape };
  tf.dispose([x, w, y]);
  return result;
}

const CASES: Case[] = [];
for (const k of [1, 3, 7])
  for (const stride of [1, 2])
    for (const pad of ['same', 'valid', explicitPad(k === 1 ? 1 : (k - 1) / 2)] as Pad[])
      for (const size of [8, 9])
        for (const batch of [1, 3]) {
          const [ci, co] = (
            [
              [3, 4],
              [5, 8],
              [16, 6],
            ] as const
          )[CASES.length % 3] ?? [3, 4];
          CASES.push({ k, stride, pad, size, batch, ci, co });
        }
CASES.push({ k: 3, stride: 2, pad: explicitPad(2, 0, 0, 1), size: 9, batch: 2, ci: 4, co: 3 });
CASES.push({ k: 3, stride: 1, pad: explicitPad(4, 3, 0, 5), size: 5, batch: 1, ci: 2, co: 3 });
CASES.push({ k: 5, stride: 3, pad: 'same', size: 11, batch: 2, ci: 3, co: 5 });
CASES.push({ k: 3, stride: [1, 2], pad: 'same', size: 7, batch: 2, ci: 3, co: 4 });

const PATHS: Exclude<WasmConvPath, 'gemm-swapped'>[] = ['xnnpack', 'gemm'];
let worstError = 0;

beforeAll(() => useWasmBackendWith(registerWasmConv2D));

afterAll(() => {
  console.log(`wasm Conv2D: worst relative error over ${CASES.length} cases x ${PATHS.length} paths = ${worstError.toExponential(2)}`);
});

describe('registerWasmConv2D', () => {
  it('replaces the built-in kernel once, keeping its setup, and is idempotent', () => {
    const kernel = tf.getKernel(tf.Conv2D, 'wasm');
    expect(kernel?.setupFunc).toBeDefined();
    registerWasmConv2D();
    expect(tf.getKernel(tf.Conv2D, 'wasm')).toBe(kernel);
  });

  it.each(
    PATHS.flatMap((p) =>
      CASES.map((c) => {
        const pad = typeof c.pad === 'string' ? c.pad : `pad${c.pad[1].join(',')}`;
        return [`${p}: ${c.k}x${c.k} s${String(c.stride)} ${pad} ${c.size}px b${c.batch} ${c.ci}->${c.co}`, p, c] as const;
      }),
    ),
  )('matches cpu: %s', async (_name, p, c) => {
    const reference = await forward('cpu', c);
    tf.env().set(WASM_CONV_PATH_FLAG, p);
    const actual = await forward('wasm', c).finally(() => tf.env().set(WASM_CONV_PATH_FLAG, 'auto'));
    expect(actual.shape).toEqual(reference.shape);
    const error = relativeError(actual.values, reference.values);
    worstError = Math.max(worstError, error);
    expect(error).toBeLessThanOrEqual(1e-5);
  });

  it('leaves no tensors or backend data behind but the result, with new and with reused weights', async () => {
    await tf.setBackend('wasm');
    tf.env().set(WASM_CONV_PATH_FLAG, 'gemm');
    const backend = tf.backend();
    const x = seeded([2, 9, 9, 6], 4);
    for (const [k, stride, pad] of [
      [3, 2, explicitPad(1)],
      [1, 1, 'valid'],
      [1, 2, 'same'],
    ] as const) {
      const w = seeded([k, k, 6, 5], 5);
      const tensorsBefore = tf.memory().numTensors;
      const dataBefore = backend.numDataIds();
      for (let i = 0; i < 2; i++) {
        const y = tf.conv2d(x, w, stride, pad);
        expect(tf.memory().numTensors).toBe(tensorsBefore + 1);
        expect(backend.numDataIds()).toBe(dataBefore + 1);
        y.dispose();
      }
      w.dispose();
    }
    x.dispose();
    tf.env().set(WASM_CONV_PATH_FLAG, 'auto');
  });
});

/** ResNet50's convolutions at 64 px, batch 16: [spatial size, Ci, Co, kernel]. */
function windows(size: number, ci: number, k: number): ConvWindows {
  const pad = (k - 1) / 2;
  return {
    batch: 16,
    inHeight: size,
    inWidth: size,
    channels: ci,
    outHeight: size,
    outWidth: size,
    kh: k,
    kw: k,
    strideH: 1,
    strideW: 1,
    padTop: pad,
    padLeft: pad,
  };
}

describe('wasm conv path choice', () => {
  it('keeps XNNPACK convolutions where the activations are large and the filter small', () => {
    expect(forwardPath(windows(16, 64, 3), 64)).toBe('xnnpack');
    expect(inputGradientPath(windows(16, 64, 3), 64)).toBe('xnnpack');
  });

  it('uses a matrix product where the filter is large and the activations small', () => {
    expect(forwardPath(windows(2, 512, 3), 512)).toBe('gemm');
    expect(forwardPath(windows(16, 64, 1), 256)).toBe('gemm');
    expect(inputGradientPath(windows(2, 512, 3), 512)).toBe('gemm-swapped');
    expect(inputGradientPath(windows(2, 2048, 1), 512)).toBe('gemm-swapped');
    expect(inputGradientPath(windows(16, 64, 1), 256)).toBe('gemm');
  });

  it('packs the smaller operand of a 1x1 filter gradient', () => {
    expect(pointwiseFilterGradientPath(4096, 64, 256)).toBe('gemm-swapped');
    expect(pointwiseFilterGradientPath(4096, 256, 64)).toBe('gemm');
  });

  it('obeys the flag and rejects a value it does not know', () => {
    tf.env().set(WASM_CONV_PATH_FLAG, 'xnnpack');
    expect(forwardPath(windows(2, 512, 3), 512)).toBe('xnnpack');
    tf.env().set(WASM_CONV_PATH_FLAG, 'gemm-swapped');
    expect(forwardPath(windows(2, 512, 3), 512)).toBe('gemm');
    tf.env().set(WASM_CONV_PATH_FLAG, 'fast');
    expect(() => inputGradientPath(windows(2, 512, 3), 512)).toThrow(/auto, xnnpack, gemm or gemm-swapped; got fast/);
    tf.env().set(WASM_CONV_PATH_FLAG, 'auto');
  });
});
