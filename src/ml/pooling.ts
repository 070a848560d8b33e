import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from './cpu/active-engine.ts';
import { GLOBAL_AVG_POOL, GLOBAL_AVG_POOL_GRAD } from './cpu/kernels/global-avg-pool.ts';

/** Mean over H and W in one kernel each way (the CPU kernels); tfjs' mean's gradient is a broadcast multiply and divide. */
const cpuGlobalAvgPool = tf.customGrad((...args: unknown[]) => {
  const x = args[0] as tf.Tensor4D;
  const value = tf.engine().runKernel(GLOBAL_AVG_POOL, { x }) as tf.Tensor2D;
  return {
    value,
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) =>
      tf.engine().runKernel(GLOBAL_AVG_POOL_GRAD, { dy: dy as tf.Tensor }, { inputShape: [...x.shape] }) as tf.Tensor,
  };
});

/** ResNet's global average pool: [B, H, W, C] → [B, C]. The caller's tidy owns the result. */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  const channels = x.shape[3];
  if (tf.getBackend() === 'wasm' && activeCpuEngine() !== null && channels % 4 === 0) return cpuGlobalAvgPool(x) as tf.Tensor2D;
  return tf.mean(x, [1, 2]) as tf.Tensor2D;
}
