import * as tf from '@tensorflow/tfjs';
import { composeWasmKernels, gradientConvInfo, heapView } from './wasm-compose.ts';
import { pointwiseFilterGradientPath } from './wasm-conv-plan.ts';
import { swapOuter } from './wasm-heap-copies.ts';

const BACKEND = 'wasm';

/** Padding [before, after] and kept length of one spatial axis so the padded axis is exactly `needed` long. */
function cropOrPad(size: number, padBefore: number, needed: number): { before: number; keep: number; after: number } {
  const before = Math.min(padBefore, needed);
  const keep = Math.max(0, Math.min(size, needed - padBefore));
  return { before, keep, after: needed - before - keep };
}

/*
 * dW[kh, kw, ci, co] = sum_{b, oh, ow} xPad[b, oh*sH + kh, ow*sW + kw, ci] * dy[b, oh, ow, co]
 *
 * xPad is x padded by padInfo top/left, then cropped or padded at the bottom/right to exactly
 * needH x needW, so every window fits and nothing past the last window is computed.
 * KxK: needH = (OH-1)*sH + KH. The sum is a 'valid' conv at stride 1, dilation (sH, sW), with batch
 * and channels swapped; its output is exactly [Ci, KH, KW, Co]:
 *   xPad [B, needH, needW, Ci] -> [Ci, needH, needW, B]   (input: batch Ci, channels B)
 *   dy   [B, OH, OW, Co]       -> [OH, OW, B, Co]         (filter)
 *   conv [Ci, KH, KW, Co]      -> [KH, KW, Ci, Co]
 * 1x1: needH = OH*sH, so the stride folds into a reshape [B*OH, sH, OW, sW*Ci] and a contiguous slice
 * [B*OH, 1, OW, Ci]: xs = xPad[:, ::sH, ::sW, :], N = B*OH*OW rows. dW = xs^T dy as [Ci, N] x [N, Co],
 * or dW^T = dy^T xs when packing xs is cheaper than packing dy (wasm-conv-plan.ts); the transposed
 * operand is materialised because wasm BatchMatMul is ~10x slower with transposeA. The transposes are
 * JS loops over the heap (wasm-heap-copies.ts): the wasm Transpose kernel is a slow scalar loop.
 */
function conv2DBackpropFilterWasm({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { x, dy } = inputs as tf.Conv2DBackpropFilterInputs;
  const {
    strides,
    pad,
    dataFormat,
    dimRoundingMode,
    filterShape,
    dilations = 1,
  } = attrs as unknown as tf.Conv2DBackpropFilterAttrs & {
    dilations?: number | [number, number];
  };
  if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter (wasm) needs inputs x and dy');
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter (wasm) supports only NHWC, got ${dataFormat}`);
  if (!tf.backend_util.tupleValuesAreOne(dilations)) {
    throw new Error(`Conv2DBackpropFilter (wasm) supports only dilation 1, got ${String(dilations)}`);
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter (wasm) supports only float32');
  const xShape = x.shape as [number, number, number, number];
  const info = gradientConvInfo('Conv2DBackpropFilter', xShape, filterShape, { strides, pad, dimRoundingMode }, dy);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW, outChannels: Co } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW } = info;
  const isPointwise = KH === 1 && KW === 1;
  const rows = cropOrPad(H, info.padInfo.top, isPointwise ? OH * sH : (OH - 1) * sH + KH);
  const cols = cropOrPad(W, info.padInfo.left, isPointwise ? OW * sW : (OW - 1) * sW + KW);

  return composeWasmKernels(backend, 'Conv2DBackpropFilter', (run, allocate, transposed) => {
    if (rows.keep === 0 || cols.keep === 0) {
      // Every window sits in the padding: the gradient is zero.
      return run('Fill', {}, { shape: filterShape, value: 0, dtype: 'float32' });
    }
    let xPad: tf.TensorInfo = x;
    if (rows.keep < H || cols.keep < W) {
      xPad = run('Slice', { x: xPad }, { begin: [0, 0, 0, 0], size: [B, rows.keep, cols.keep, Ci] });
    }
    if (rows.before + rows.after + cols.before + cols.after > 0) {
      const paddings = [
        [0, 0],
        [rows.before, rows.after],
        [cols.before, cols.after],
        [0, 0],
      ];
      xPad = run('PadV2', { x: xPad }, { paddings, constantValue: 0 });
    }

    const swapped = (info: tf.TensorInfo, a: number, m: number, c: number, shape: number[]): tf.TensorInfo => {
      const out = allocate(shape);
      swapOuter(heapView(backend, info), a, m, c, heapView(backend, out));
      return out;
    };

    if (isPointwise) {
      let xs = xPad;
      if (sH > 1 || sW > 1) {
        const grouped = run('Reshape', { x: xPad }, { shape: [B * OH, sH, OW, sW * Ci] });
        xs = run('Slice', { x: grouped }, { begin: [0, 0, 0, 0], size: [B * OH, 1, OW, Ci] });
      }
      const n = B * OH * OW;
      if (pointwiseFilterGradientPath(n, Ci, Co) === 'gemm-swapped') {
        // dWᵀ [Co, Ci] = dyᵀ [Co, N] · xs [N, Ci]: XNNPACK packs xs, the smaller when Ci < Co.
        const dyT = transposed(dy, n, 1, Co, [Co, n]);
        const x2 = run('Reshape', { x: xs }, { shape: [n, Ci] });
        const dwT = run('BatchMatMul', { a: dyT, b: x2 }, { transposeA: false, transposeB: false });
        return transposed(dwT, Co, 1, Ci, filterShape);
      }
      const a = transposed(xs, n, 1, Ci, [Ci, n]);
      const b = run('Reshape', { x: dy }, { shape: [n, Co] });
      const dw = run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
      return run('Reshape', { x: dw }, { shape: filterShape });
    }

    const needH = rows.before + rows.keep + rows.after;
    const needW = cols.before + cols.keep + cols.after;
    const xT = transposed(xPad, B, needH * needW, Ci, [Ci, needH, needW, B]);
    const dyT = swapped(dy, B, OH * OW, Co, [OH, OW, B, Co]);
    const convAttrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sH, sW] };
    const dwT = run('Conv2D', { x: xT, filter: dyT }, convAttrs);
    return swapped(dwT, Ci, KH * KW, Co, filterShape);
  });
}

/**
 * Registers a `Conv2DBackpropFilter` kernel for the wasm backend, which tfjs-backend-wasm 4.22 lacks,
 * so conv filter gradients (tf.grad through conv2d and fused conv2d) work on WASM. NHWC, float32,
 * dilation 1 only (tfjs' conv2d gradient rejects dilation > 1 anyway). Idempotent; DOM-free.
 * Import '@tensorflow/tfjs-backend-wasm' before the first gradient so the kernels it composes exist.
 */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, BACKEND) !== undefined) return;
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: BACKEND,
    kernelFunc: conv2DBackpropFilterWasm as unknown as tf.KernelFunc,
  });
}
