import * as tf from '@tensorflow/tfjs';
import { heapView, replaceWasmKernel } from './wasm-compose.ts';

/**
 * dx of a 2-D max pool (NHWC): each output's dy goes to the first largest input of its window, in
 * window order, as PyTorch and tfjs' cpu kernel route it. Per output position the window is read
 * channel-vectorised: one running max and index per channel. The built-in wasm kernel rescans a
 * window per input (~30 ms for ResNet50's stem at 64 px, batch 16; ~5 ms here), takes the last of
 * equal maxima and drops the gradient of windows with no value above FLT_MIN.
 */
function maxPoolGradWasm(backend: tf.KernelBackend, dy: tf.TensorInfo, x: tf.TensorInfo, info: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sH, strideWidth: sW, filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  const dx = (backend as unknown as { makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo }).makeOutput(x.shape, 'float32');
  const [xs, dys, dxs] = [heapView(backend, x), heapView(backend, dy), heapView(backend, dx)];
  dxs.fill(0);
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        best.fill(-Infinity);
        at.fill(-1);
        for (let kh = 0; kh < KH; kh++) {
          const h = oh * sH + kh - top;
          if (h < 0 || h >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const w = ow * sW + kw - left;
            if (w < 0 || w >= W) continue;
            const base = ((b * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) {
              const v = xs[base + c] as number;
              if (v > (best[c] as number)) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const from = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          const to = at[c] as number;
          if (to >= 0) dxs[to] = (dxs[to] as number) + (dys[from + c] as number);
        }
      }
  return dx;
}

/**
 * Registers a `MaxPoolGrad` for the wasm backend over tfjs-backend-wasm 4.22's own (float32; other
 * dtypes go to the built-in kernel, whose setup function is kept). Idempotent; DOM-free. Import
 * '@tensorflow/tfjs-backend-wasm' first.
 */
export function registerWasmMaxPoolGrad(): void {
  replaceWasmKernel(tf.MaxPoolGrad, (builtIn) => (args) => {
    const { dy, input } = args.inputs as tf.MaxPoolGradInputs;
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
    if (dy === undefined || input === undefined) throw new Error('MaxPoolGrad (wasm) needs inputs dy and input');
    if (dy.dtype !== 'float32' || input.dtype !== 'float32') return builtIn(args);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    if (!tf.util.arraysEqual(dy.shape, info.outShape)) {
      throw new Error(`MaxPoolGrad (wasm): dy shape [${dy.shape}] does not match the pool output [${info.outShape}]`);
    }
    return maxPoolGradWasm(args.backend, dy, input, info);
  });
}
