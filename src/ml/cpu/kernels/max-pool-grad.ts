import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from '../active-engine.ts';
import { maxPool, maxPoolGrad, type PoolGeometry } from '../ops/pool.ts';
import { heapAddress } from '../tfjs-wasm-heap.ts';
import { makeOutput } from './common.ts';
import { replaceWasmKernel } from './replace-kernel.ts';

/** tfjs' pool info as the kernels' geometry. */
function poolGeometry(p: tf.backend_util.Conv2DInfo): PoolGeometry {
  // prettier-ignore
  return {
    n: p.batchSize, h: p.inHeight, w: p.inWidth, c: p.inChannels, oh: p.outHeight, ow: p.outWidth,
    kh: p.filterHeight, kw: p.filterWidth, sh: p.strideHeight, sw: p.strideWidth, padTop: p.padInfo.top, padLeft: p.padInfo.left,
  };
}

/**
 * MaxPool on the CPU kernels (threads split the output rows; channels % 4 == 0, dilation 1, else the
 * built-in XNNPACK kernel), over tfjs-backend-wasm's.
 */
export function registerCpuMaxPool(): void {
  replaceWasmKernel(tf.MaxPool, (builtIn) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs as unknown as tf.MaxPoolAttrs;
    const engine = activeCpuEngine();
    const channels = x.shape[3] ?? 0;
    if (!engine || x.dtype !== 'float32' || channels % 4 !== 0) return builtIn(args);
    const p = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const y = makeOutput(args.backend, p.outShape);
    if (tf.util.sizeFromShape(p.outShape) > 0) maxPool(engine, poolGeometry(p), heapAddress(args.backend, x), heapAddress(args.backend, y));
    return y;
  });
}

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
    maxPoolGrad(engine, poolGeometry(p), heapAddress(args.backend, input), heapAddress(args.backend, dy), heapAddress(args.backend, dx));
    return dx;
  });
}
