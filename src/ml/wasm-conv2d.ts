import * as tf from '@tensorflow/tfjs';
import { forwardPath } from './wasm-conv-plan.ts';
import { composeWasmKernels, heapView, replaceWasmKernel } from './wasm-compose.ts';
import { convWindows, im2col, isIdentityWindow } from './wasm-im2col.ts';

/**
 * y = im2col(x) · W as one XNNPACK matrix product: [B·OH·OW, KH·KW·Ci] x [KH·KW·Ci, Co]. The
 * filter reshapes for free (HWIO flattened is the im2col row layout), and a 1x1 conv at stride 1
 * needs no im2col copy. BatchMatMul caches its packed weights per filter tensor, so inference with
 * fixed weights packs them once, as the built-in Conv2D does.
 */
function conv2dGemm(backend: tf.KernelBackend, x: tf.TensorInfo, filter: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const g = convWindows(info);
  const m = g.batch * g.outHeight * g.outWidth;
  const k = g.kh * g.kw * g.channels;
  return composeWasmKernels(backend, 'Conv2D', (run, allocate) => {
    let cols = x;
    if (!isIdentityWindow(g)) {
      cols = allocate([m, k]);
      im2col(heapView(backend, x), g, heapView(backend, cols));
    }
    const a = run('Reshape', { x: cols }, { shape: [m, k] });
    const b = run('Reshape', { x: filter }, { shape: [k, info.outChannels] });
    const y = run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    return run('Reshape', { x: y }, { shape: info.outShape });
  });
}

/**
 * Registers a `Conv2D` for the wasm backend over tfjs-backend-wasm 4.22's own: NHWC float32 with
 * dilation 1 runs as im2col + one matrix product where that is cheaper for a filter the backend has
 * not seen (see wasm-conv-plan.ts: in training every step brings new weights, and the built-in
 * kernel's filter setup dominated the small-spatial layers); everything else goes to the built-in
 * kernel, whose setup function is kept. Idempotent; DOM-free. Import '@tensorflow/tfjs-backend-wasm' first.
 */
export function registerWasmConv2D(): void {
  replaceWasmKernel(tf.Conv2D, (builtIn) => (args) => {
    const { x, filter } = args.inputs as tf.Conv2DInputs;
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
    if (x === undefined || filter === undefined) throw new Error('Conv2D (wasm) needs inputs x and filter');
    const composable =
      dataFormat === 'NHWC' && x.dtype === 'float32' && filter.dtype === 'float32' && tf.backend_util.tupleValuesAreOne(dilations ?? 1);
    if (!composable) return builtIn(args);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const empty = info.outHeight * info.outWidth * info.batchSize * info.outChannels === 0;
    if (empty || forwardPath(convWindows(info), info.outChannels) === 'xnnpack') return builtIn(args);
    return conv2dGemm(args.backend, x, filter, info);
  });
}
