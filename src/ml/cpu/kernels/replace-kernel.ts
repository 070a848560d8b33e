import * as tf from '@tensorflow/tfjs';

/** What tfjs hands a kernel function. */
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/** A kernel function of one output. */
export type SingleOutputKernel = (args: KernelArgs) => tf.TensorInfo;

/** tfjs-backend-wasm's own kernels that were replaced, by name (benchmarks time them beside ours). */
const builtIns = new Map<string, SingleOutputKernel>();

/** Marks a kernel function registered by {@link replaceWasmKernel}, so replacing twice is a no-op. */
const REPLACED = Symbol('replaced wasm kernel');

/**
 * Registers, for the wasm backend, the kernel `replace(builtIn)` returns in place of
 * tfjs-backend-wasm's own `name`, keeping the built-in's setup function (its wasm bindings), so the
 * replacement can hand the cases it does not cover to `builtIn`. Idempotent. Import
 * '@tensorflow/tfjs-backend-wasm' first.
 */
export function replaceWasmKernel(name: string, replace: (builtIn: SingleOutputKernel) => SingleOutputKernel): void {
  const builtIn = tf.getKernel(name, 'wasm');
  if (builtIn === undefined) throw new Error(`${name} (wasm): import @tensorflow/tfjs-backend-wasm before registering`);
  if ((builtIn.kernelFunc as { [REPLACED]?: boolean })[REPLACED]) return;
  const original: SingleOutputKernel = (args) => builtIn.kernelFunc(args) as tf.TensorInfo;
  builtIns.set(name, original);
  const kernelFunc = replace(original);
  Object.assign(kernelFunc, { [REPLACED]: true });
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...builtIn, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** Registers a kernel tfjs-backend-wasm lacks (ours by name), once. */
export function addWasmKernel(name: string, kernelFunc: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]): void {
  if (tf.getKernel(name, 'wasm') !== undefined) return;
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** tfjs-backend-wasm's own `name` kernel, as it was before {@link replaceWasmKernel} (for benchmarks). */
export function builtInWasmKernel(name: string): SingleOutputKernel | undefined {
  return builtIns.get(name);
}
