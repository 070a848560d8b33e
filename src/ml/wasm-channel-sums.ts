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

/** Kernel name of the per-channel mean and variance, registered for the wasm backend only. */
export const CHANNEL_MOMENTS = 'ExpressionLabChannelMoments';

/**
 * Per-channel mean and biased variance over every axis but the last: x [..., C] → [2, C], the same
 * float32 arithmetic in the same order as tf.moments on wasm (a float32 running sum per channel
 * over the positions in order, then the mean of the squared float32 deviations), so the results
 * are bit-identical: the golden conv1 gradients move by 3.6e-3 with float64 sums. tf.moments
 * transposes x twice to get there; this reads it twice in place.
 */
function channelMomentsWasm({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): tf.TensorInfo {
  const { x } = inputs as { x?: tf.TensorInfo };
  if (x === undefined || x.dtype !== 'float32') throw new Error(`${CHANNEL_MOMENTS} needs a float32 input x`);
  const c = x.shape.at(-1) ?? 1;
  const out = (backend as unknown as { makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo }).makeOutput([2, c], 'float32');
  const xs = heapView(backend, x);
  const n = xs.length / c;
  const f32 = Math.fround;
  // Float32Array accumulators: every store rounds to float32, as the wasm kernels' float sums do.
  const acc = new Float32Array(c);
  for (let base = 0; base < xs.length; base += c) for (let j = 0; j < c; j++) acc[j] = (acc[j] as number) + (xs[base + j] as number);
  const mean = new Float32Array(c);
  for (let j = 0; j < c; j++) mean[j] = (acc[j] as number) / n;
  acc.fill(0);
  for (let base = 0; base < xs.length; base += c)
    for (let j = 0; j < c; j++) {
      const d = f32((xs[base + j] as number) - (mean[j] as number));
      acc[j] = (acc[j] as number) + f32(d * d);
    }
  const target = heapView(backend, out);
  target.set(mean, 0);
  for (let j = 0; j < c; j++) target[c + j] = (acc[j] as number) / n;
  return out;
}

/** Registers {@link CHANNEL_SUMS} and {@link CHANNEL_MOMENTS} for the wasm backend. Idempotent. */
export function registerWasmChannelSums(): void {
  if (tf.getKernel(CHANNEL_SUMS, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: CHANNEL_SUMS, backendName: 'wasm', kernelFunc: channelSumsWasm as unknown as tf.KernelFunc });
  }
  if (tf.getKernel(CHANNEL_MOMENTS, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: CHANNEL_MOMENTS, backendName: 'wasm', kernelFunc: channelMomentsWasm as unknown as tf.KernelFunc });
  }
}

function runPairKernel(name: string, inputs: Record<string, tf.Tensor>): [tf.Tensor1D, tf.Tensor1D] {
  const both = tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, {}) as tf.Tensor2D;
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
  if (hasChannelSums()) return runPairKernel(CHANNEL_SUMS, { a, b });
  const axes = a.shape.slice(0, -1).map((_, i) => i);
  return [tf.sum(a, axes), tf.sum(tf.mul(a, b), axes)] as [tf.Tensor1D, tf.Tensor1D];
}

/**
 * Per-channel [mean, biased variance] over every axis but the last, as two [C] tensors (what
 * tf.moments(x, [0, 1, 2]) gives for NHWC): two JS passes on wasm, tf.moments elsewhere. No
 * gradient: call it where the tape is off (inside a customGrad).
 */
export function channelMoments(x: tf.Tensor): [tf.Tensor1D, tf.Tensor1D] {
  if (tf.getKernel(CHANNEL_MOMENTS, tf.getBackend()) !== undefined) return runPairKernel(CHANNEL_MOMENTS, { x });
  const { mean, variance } = tf.moments(
    x,
    x.shape.slice(0, -1).map((_, i) => i),
  );
  return [mean as tf.Tensor1D, variance as tf.Tensor1D];
}
