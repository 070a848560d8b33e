import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from '../active-engine.ts';
import { maxPoolGrad } from '../ops/pool.ts';
import { heapAddress } from '../tfjs-wasm-heap.ts';
import { makeOutput } from './common.ts';
import { replaceWasmKernel } from './replace-kernel.ts';

/**
 * MaxPoolGrad on the CPU kernels: each window's gradient goes to its first maximum, as in PyTorch and
 * tfjs' cpu kernel (the built-in wasm kernel picks the last one). Threads split the channels.
 */
export function registerCpuMaxPoolGrad(): void {
  replaceWasmKernel(tf.MaxPoolGrad, (builtIn) => (args) => {
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const engine = activeCpuEngine();
    if (!engine || input.dtype !== 'float32' || dy.dtype !== 'float32') return builtIn(args);
    const p = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (!tf.util.arraysEqual(dy.shape, p.outShape))
      throw new Error(`MaxPoolGrad (wasm): dy shape [${dy.shape}] does not match the pool output [${p.outShape}]`);
    const dx = makeOutput(args.backend, [...input.shape]);
    // prettier-ignore
    const g = {
      n: p.batchSize, h: p.inHeight, w: p.inWidth, c: p.inChannels, oh: p.outHeight, ow: p.outWidth,
      kh: p.filterHeight, kw: p.filterWidth, sh: p.strideHeight, sw: p.strideWidth, padTop: p.padInfo.top, padLeft: p.padInfo.left,
    };
    maxPoolGrad(engine, g, heapAddress(args.backend, input), heapAddress(args.backend, dy), heapAddress(args.backend, dx));
    return dx;
  });
}
