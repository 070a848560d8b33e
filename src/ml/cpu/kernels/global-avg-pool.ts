import type * as tf from '@tensorflow/tfjs';
import { globalAvgPool, globalAvgPoolGrad } from '../ops/pool.ts';
import { heapAddress } from '../tfjs-wasm-heap.ts';
import { makeOutput, requireCpuEngine } from './common.ts';
import { addWasmKernel } from './replace-kernel.ts';

/** Mean over H and W of an NHWC tensor: [N, H, W, C] → [N, C] (ml/pooling.ts calls it). */
export const GLOBAL_AVG_POOL = 'ExpressionLabGlobalAvgPool';
/** Its backward: dy [N, C] and the input's shape (attribute) → dx [N, H, W, C]. */
export const GLOBAL_AVG_POOL_GRAD = 'ExpressionLabGlobalAvgPoolGrad';

/** Registers both on wasm; C % 4 == 0 (the caller checks). */
export function registerCpuGlobalAvgPool(): void {
  addWasmKernel(GLOBAL_AVG_POOL, ({ inputs, backend }) => {
    const engine = requireCpuEngine(GLOBAL_AVG_POOL);
    const x = inputs.x as tf.TensorInfo;
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const y = makeOutput(backend, [n, c]);
    globalAvgPool(engine, n, h * w, c, heapAddress(backend, x), heapAddress(backend, y));
    return y;
  });
  addWasmKernel(GLOBAL_AVG_POOL_GRAD, ({ inputs, backend, attrs }) => {
    const engine = requireCpuEngine(GLOBAL_AVG_POOL_GRAD);
    const dy = inputs.dy as tf.TensorInfo;
    const shape = (attrs as { inputShape: number[] }).inputShape;
    const [n, h, w, c] = shape as [number, number, number, number];
    const dx = makeOutput(backend, shape);
    globalAvgPoolGrad(engine, n, h * w, c, heapAddress(backend, dy), heapAddress(backend, dx));
    return dx;
  });
}
