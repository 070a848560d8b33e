import * as tf from '@tensorflow/tfjs';
import { transposeOuterInner } from './wasm-heap-copies.ts';

/** Calls one wasm kernel function directly: no engine, no tape, no tf.Tensor objects. */
export type RunKernel = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.TensorInfo;

/** Allocates a float32 tensor on the wasm heap (uninitialised), released like `run`'s results. */
export type Allocate = (shape: number[]) => tf.TensorInfo;

/**
 * `x` read as [A, M, C], copied transposed to a new [C, M, A] tensor of `shape` (allocated and
 * released like `allocate`'s): wasm-heap-copies' transposeOuterInner.
 */
export type Transposed = (x: tf.TensorInfo, a: number, m: number, c: number, shape: number[]) => tf.TensorInfo;

/** The parts of tfjs-backend-wasm's BackendWasm that JS loops over its heap need. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/**
 * A float32 view of `info` on the wasm heap. Take it after the last allocation: the heap may grow
 * (and move) on any allocation, which detaches older views.
 */
export function heapView(backend: tf.KernelBackend, info: tf.TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`expected float32 on the wasm heap, got ${info.dtype}`);
  return (backend as unknown as WasmHeap).typedArrayFromHeap(info);
}

/**
 * Runs `body` with a `run` that calls the wasm backend's own kernel functions directly. Every
 * TensorInfo `run` or `allocate` returns holds one reference on the backend and is released here, except the one
 * `body` returns, which the engine then owns. `label` names the composed kernel in errors.
 */
export function composeWasmKernels(
  backend: tf.KernelBackend,
  label: string,
  body: (run: RunKernel, allocate: Allocate, transposed: Transposed) => tf.TensorInfo,
): tf.TensorInfo {
  const intermediates: tf.TensorInfo[] = [];
  let result: tf.TensorInfo | undefined;
  const run: RunKernel = (name, inputs, attrs) => {
    const kernel = tf.getKernel(name, 'wasm');
    if (kernel === undefined) throw new Error(`${label} (wasm) needs the wasm ${name} kernel, which is not registered`);
    const out = kernel.kernelFunc({ inputs, backend, attrs });
    if (Array.isArray(out)) throw new Error(`${label} (wasm) expected one output from ${name}`);
    intermediates.push(out);
    return out;
  };
  const allocate: Allocate = (shape) => {
    const out = (backend as unknown as WasmHeap).makeOutput(shape, 'float32');
    intermediates.push(out);
    return out;
  };
  const transposed: Transposed = (x, a, m, c, shape) => {
    const out = allocate(shape);
    transposeOuterInner(heapView(backend, x), a, m, c, heapView(backend, out));
    return out;
  };
  try {
    result = body(run, allocate, transposed);
    return result;
  } finally {
    for (const info of intermediates) if (info !== result) backend.disposeData(info.dataId);
  }
}

/**
 * The forward convolution's geometry (NHWC, dilation 1) behind a gradient kernel, checking that
 * `dy` has that convolution's output shape; `label` names the kernel in the error.
 */
export function gradientConvInfo(
  label: string,
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: { strides: number | [number, number]; pad: tf.Conv2DAttrs['pad']; dimRoundingMode?: tf.Conv2DAttrs['dimRoundingMode'] },
  dy: tf.TensorInfo,
): tf.backend_util.Conv2DInfo {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (!tf.util.arraysEqual(dy.shape, info.outShape)) {
    throw new Error(`${label} (wasm): dy shape [${dy.shape}] does not match the conv output [${info.outShape}]`);
  }
  return info;
}

/** What tfjs hands a kernel function. */
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/** A kernel function of one output. */
export type SingleOutputKernel = (args: KernelArgs) => tf.TensorInfo;

/** Marks a kernel function registered by {@link replaceWasmKernel}, so replacing twice is a no-op. */
const REPLACED = Symbol('replaced wasm kernel');

/**
 * Registers, for the wasm backend, the kernel `replace(builtIn)` returns in place of
 * tfjs-backend-wasm's own `name`, keeping the built-in's setup function (its wasm bindings), so the
 * replacement can hand the cases it does not cover to `builtIn`. Idempotent; DOM-free. Import
 * '@tensorflow/tfjs-backend-wasm' first.
 */
export function replaceWasmKernel(name: string, replace: (builtIn: SingleOutputKernel) => SingleOutputKernel): void {
  const builtIn = tf.getKernel(name, 'wasm');
  if (builtIn === undefined) throw new Error(`${name} (wasm): import @tensorflow/tfjs-backend-wasm before registering`);
  if ((builtIn.kernelFunc as { [REPLACED]?: boolean })[REPLACED]) return;
  const kernelFunc = replace((args) => builtIn.kernelFunc(args) as tf.TensorInfo);
  Object.assign(kernelFunc, { [REPLACED]: true });
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...builtIn, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}
