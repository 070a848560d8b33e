import * as tf from '@tensorflow/tfjs';
import { heapView } from './wasm-compose.ts';

/** Kernel name of the per-channel sums, registered for the wasm backend only. */
export const CHANNEL_SUMS = 'ExpressionLabChannelSums';

/**
 * Per-channel sums over every axis but the last, in one pass with float64 accumulators:
 * a [..., C] and b of a's shape → [2, C] = [Σ a, Σ a·b]. The wasm Sum kernel transposes the whole
 * tensor first to reduce NHWC over N, H, W; BatchNorm's backward needs two such sums per layer.
 */
function channelSumsWasm({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): tf.TensorInfo {
  const { a, b } = inputs as { a?: tf.TensorInfo; b?: tf.TensorInfo };
  if (a === undefined || b === undefined) throw new Error(`${CHANNEL_SUMS} needs inputs a and b`);
  if (!tf.util.arraysEqual(a.shape, b.shape)) {
    throw new Error(`${CHANNEL_SUMS}: a [${a.shape}] and b [${b.shape}] differ`);
  }
  const c = a.shape.at(-1) ?? 1;
  const out = (backend as unknown as { makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo }).makeOutput([2, c], 'float32');
  const xs = heapView(backend, a);
  const ys = heapView(backend, b);
  const sum = new Float64Array(c);
  const prod = new Float64Array(c);
  for (let base = 0; base < xs.length; base += c)
    for (let j = 0; j < c; j++) {
      const x = xs[base + j] as number;
      sum[j] = (sum[j] as number) + x;
      prod[j] = (prod[j] as number) + x * (ys[base + j] as number);
    }
  const target = heapView(backend, out);
  target.set(sum, 0);
  target.set(prod, c);
  return out;
}

/** Registers {@link CHANNEL_SUMS} for the wasm backend. Idempotent. */
export function registerWasmChannelSums(): void {
  if (tf.getKernel(CHANNEL_SUMS, 'wasm') !== undefined) return;
  tf.registerKernel({ kernelName: CHANNEL_SUMS, backendName: 'wasm', kernelFunc: channelSumsWasm as unknown as tf.KernelFunc });
}

function runChannelSums(inputs: Record<string, tf.Tensor>): [tf.Tensor1D, tf.Tensor1D] {
  const both = tf.engine().runKernel(CHANNEL_SUMS, inputs as unknown as tf.NamedTensorMap, {}) as tf.Tensor2D;
  const [first, second] = tf.unstack(both) as [tf.Tensor1D, tf.Tensor1D];
  both.dispose();
  return [first, second];
}

const hasChannelSums = (): boolean => tf.getKernel(CHANNEL_SUMS, tf.getBackend()) !== undefined;

/**
 * Per-channel [Σ a, Σ a·b] over every axis but the last, as two [C] tensors: one JS pass on wasm,
 * tf ops elsewhere. No gradient: call it where the tape is off (inside a customGrad).
 */
export function channelSums(a: tf.Tensor, b: tf.Tensor): [tf.Tensor1D, tf.Tensor1D] {
  if (hasChannelSums()) return runChannelSums({ a, b });
  const axes = a.shape.slice(0, -1).map((_, i) => i);
  return [tf.sum(a, axes), tf.sum(tf.mul(a, b), axes)] as [tf.Tensor1D, tf.Tensor1D];
}
