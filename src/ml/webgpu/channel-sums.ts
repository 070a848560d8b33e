/**
 * The channel-sums kernel on WebGPU (channel-sums-program.ts, then the slabs added in order by
 * split-sum-program.ts), and the op BatchNorm calls on any backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { CHANNELS_PER_WORKGROUP, ChannelSumsProgram } from './channel-sums-program.ts';
import { SplitSumProgram } from './split-sum-program.ts';

/** Kernel name: inputs a [..., C] (and b, like a: sums of a·b), output [C]. Registered for webgpu. */
export const CHANNEL_SUMS = 'ExpressionLabChannelSums';

/** Workgroups a sum should have at least, and the fewest rows a split covers. */
const TARGET_WORKGROUPS = 64;
const MIN_ROWS_PER_SPLIT = 256;

/** The kernel function for webgpu. */
export function channelSumsWebGpu(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend }): tf.TensorInfo {
  const backend = args.backend as unknown as WebGPUBackend;
  const a = args.inputs.a as tf.TensorInfo;
  const b = args.inputs.b as tf.TensorInfo | undefined;
  const channels = a.shape[a.shape.length - 1] ?? 1;
  const rows = tf.util.sizeFromShape(a.shape) / channels;
  const wanted = Math.ceil(TARGET_WORKGROUPS / Math.ceil(channels / CHANNELS_PER_WORKGROUP));
  const chunk = Math.ceil(rows / Math.max(1, Math.min(wanted, Math.floor(rows / MIN_ROWS_PER_SPLIT))));
  const splits = Math.max(1, Math.ceil(rows / chunk));
  const program = new ChannelSumsProgram(channels, splits, b !== undefined);
  const uniforms = [rows, channels, chunk].map((v) => ({ type: 'int32' as const, data: [v] }));
  const partials = backend.runWebGPUProgram(program, b ? [a, b] : [a], 'float32', uniforms);
  const sums = backend.runWebGPUProgram(new SplitSumProgram([channels]), [partials], 'float32', [{ type: 'int32', data: [splits] }]);
  backend.disposeData(partials.dataId);
  return sums;
}

/** Σ over every axis but the last of x (or of x·y): [C]. One kernel on WebGPU, tf.sum elsewhere. The caller owns it. */
export function channelSums(x: tf.Tensor, y?: tf.Tensor): tf.Tensor1D {
  if (tf.getBackend() === 'webgpu' && tf.getKernel(CHANNEL_SUMS, 'webgpu')) {
    return tf.engine().runKernel(CHANNEL_SUMS, y ? { a: x, b: y } : { a: x }) as tf.Tensor1D;
  }
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  return tf.tidy(() => tf.sum(y ? tf.mul(x, y) : x, axes)) as tf.Tensor1D;
}
