import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { CHANNEL_SUMS, channelSumsWebGpu } from './channel-sums.ts';
import { conv2dWebGpu } from './conv2d.ts';
import { conv2dBackpropFilterWebGpu } from './conv2d-backprop-filter.ts';

/** Marks our registrations, so registering twice is a no-op. */
const OURS = Symbol('expression-lab webgpu kernel');

/** tfjs-backend-webgpu's own kernels that ours replaced, by name (benchmarks time them beside ours). */
const builtIns = new Map<string, tf.KernelFunc>();

function replace(name: string, make: (builtIn: tf.KernelFunc) => tf.KernelFunc): void {
  const builtIn = tf.getKernel(name, 'webgpu');
  if (!builtIn || (builtIn.kernelFunc as { [OURS]?: boolean })[OURS]) return;
  const kernelFunc = make(builtIn.kernelFunc);
  Object.assign(kernelFunc, { [OURS]: true });
  builtIns.set(name, builtIn.kernelFunc);
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel({ ...builtIn, kernelFunc });
}

/**
 * The lab's WebGPU training kernels, registered over tfjs-backend-webgpu's before the backend is used:
 * the filter gradient as a tiled, split-K product (its own is one invocation per filter value, each
 * looping over every pixel alone), BatchNorm's per-channel sums without the transpose tfjs' Mean
 * and Sum make, and (when asked for) split-K forward convolutions. Idempotent.
 */
export function registerWebGpuTrainingKernels(): void {
  replace(tf.Conv2DBackpropFilter, conv2dBackpropFilterWebGpu);
  replace(tf.Conv2D, conv2dWebGpu);
  if (!tf.getKernel(CHANNEL_SUMS, 'webgpu'))
    tf.registerKernel({ kernelName: CHANNEL_SUMS, backendName: 'webgpu', kernelFunc: channelSumsWebGpu as unknown as tf.KernelFunc });
}

/** Puts tfjs-backend-webgpu's own kernels back (benchmarks time both in one process). Idempotent. */
export function restoreBuiltInWebGpuKernels(): void {
  for (const [name, kernelFunc] of builtIns) {
    const ours = tf.getKernel(name, 'webgpu');
    if (!ours) continue;
    tf.unregisterKernel(name, 'webgpu');
    tf.registerKernel({ ...ours, kernelFunc });
  }
  builtIns.clear();
  // Without it, BatchNorm's sums take tf.sum (src/ml/webgpu/channel-sums.ts).
  if (tf.getKernel(CHANNEL_SUMS, 'webgpu')) tf.unregisterKernel(CHANNEL_SUMS, 'webgpu');
}

/** tfjs-backend-webgpu's own `name` kernel, as it was before ours (for benchmarks). */
export function builtInWebGpuKernel(name: string): tf.KernelFunc | null {
  return builtIns.get(name) ?? null;
}
