import * as tf from '@tensorflow/tfjs';
import { type ConvWindows, isIdentityWindow } from './wasm-im2col.ts';

/**
 * How a convolution (or its input gradient) runs on the wasm backend:
 * - 'xnnpack': tfjs-backend-wasm's Conv2D. With a filter it has not seen, it first transposes the
 *   filter in a scalar loop and XNNPACK packs it: ~10 ns per weight on the 2-core reference machine,
 *   every training step (the weights change), which dominates when the spatial size is small.
 * - 'gemm': one XNNPACK matrix product of the im2col rows with the [KH·KW·Ci, Co] filter, whose
 *   packing costs ~2.5 ns per weight; the input gradient multiplies by the transposed filter and
 *   scatters back with col2im.
 * - 'gemm-swapped': the transposed product, so that XNNPACK packs the other operand: for the input
 *   gradient W·dyᵀ, packing dyᵀ (B·OH·OW·Co values) instead of the filter, the cheapest when the
 *   batch's spatial size is small; for a 1x1 filter gradient dyᵀ·xs, packing xs instead of dy.
 * 'auto' picks the cheapest by {@link forwardPath} and {@link inputGradientPath}.
 */
export type WasmConvPath = 'xnnpack' | 'gemm' | 'gemm-swapped';

/** tfjs flag that forces a path ('auto' unless set): tests run every path against the cpu backend. */
export const WASM_CONV_PATH_FLAG = 'EXPRESSION_LAB_WASM_CONV_PATH';
tf.env().registerFlag(WASM_CONV_PATH_FLAG, () => 'auto');

/** Rough costs in ns per value moved, measured in Chromium on 2 threads (scratch probes, tfjs 4.22). */
const COST = { convFilterSetup: 10, matMulPack: 2.5, copy: 1, col2im: 3 } as const;

function forced(): WasmConvPath | null {
  const value = tf.env().get(WASM_CONV_PATH_FLAG);
  if (value === 'auto') return null;
  if (value === 'xnnpack' || value === 'gemm' || value === 'gemm-swapped') return value;
  throw new Error(`${WASM_CONV_PATH_FLAG} must be auto, xnnpack, gemm or gemm-swapped; got ${String(value)}`);
}

/** Sizes of the matrix product behind a conv: M = B·OH·OW rows, K = KH·KW·Ci, Co columns. */
function sizes(g: ConvWindows, outChannels: number): { m: number; k: number; co: number; identity: boolean } {
  return { m: g.batch * g.outHeight * g.outWidth, k: g.kh * g.kw * g.channels, co: outChannels, identity: isIdentityWindow(g) };
}

/** The cheaper way to run a forward conv2d whose filter is new: 'xnnpack' or 'gemm'. */
export function forwardPath(g: ConvWindows, outChannels: number): Exclude<WasmConvPath, 'gemm-swapped'> {
  const force = forced();
  if (force !== null) return force === 'xnnpack' ? 'xnnpack' : 'gemm';
  const { m, k, co, identity } = sizes(g, outChannels);
  const gemm = (identity ? 0 : COST.copy * m * k) + COST.matMulPack * k * co;
  return gemm < COST.convFilterSetup * k * co ? 'gemm' : 'xnnpack';
}

/** The cheapest way to run a conv2d's input gradient. */
export function inputGradientPath(g: ConvWindows, outChannels: number): WasmConvPath {
  const force = forced();
  if (force !== null) return force;
  const { m, k, co, identity } = sizes(g, outChannels);
  const scatter = identity ? 0 : COST.col2im * m * k;
  const costs: [WasmConvPath, number][] = [
    // Phase taps written in JS, then the Conv2D filter setup.
    ['xnnpack', (COST.copy + COST.convFilterSetup) * k * co],
    // Wᵀ materialised and packed; the [M, K] product scattered back.
    ['gemm', (COST.copy + COST.matMulPack) * k * co + scatter],
    // dyᵀ materialised and packed; the [K, M] product transposed, then scattered back.
    ['gemm-swapped', (COST.copy + COST.matMulPack) * m * co + COST.copy * m * k + scatter],
  ];
  return costs.reduce((best, next) => (next[1] < best[1] ? next : best))[0];
}

/**
 * The cheaper orientation of a 1x1 conv's filter gradient over N = B·OH·OW positions: 'gemm' is
 * xsᵀ·dy (xs transposed in JS, dy packed), 'gemm-swapped' is (dyᵀ·xs)ᵀ (dy transposed, xs packed,
 * the [Co, Ci] product transposed back).
 */
export function pointwiseFilterGradientPath(n: number, ci: number, co: number): Exclude<WasmConvPath, 'xnnpack'> {
  const force = forced();
  if (force !== null) return force === 'gemm-swapped' ? 'gemm-swapped' : 'gemm';
  const direct = COST.copy * n * ci + COST.matMulPack * n * co;
  const swapped = COST.copy * n * co + COST.matMulPack * n * ci + COST.copy * ci * co;
  return swapped < direct ? 'gemm-swapped' : 'gemm';
}
