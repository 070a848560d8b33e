import * as tf from '@tensorflow/tfjs';

/** Calls one wasm kernel function directly: no engine, no tape, no tf.Tensor objects. */
export type RunKernel = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.TensorInfo;

/**
 * Runs `body` with a `run` that calls the wasm backend's own kernel functions directly. Every
 * TensorInfo `run` returns holds one reference on the backend and is released here, except the one
 * `body` returns, which the engine then owns. `label` names the composed kernel in errors.
 */
export function composeWasmKernels(backend: tf.KernelBackend, label: string, body: (run: RunKernel) => tf.TensorInfo): tf.TensorInfo {
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
  try {
    result = body(run);
    return result;
  } finally {
    for (const info of intermediates) if (info !== result) backend.disposeData(info.dataId);
  }
}
