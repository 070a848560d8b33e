// The filter gradient: dW[r][k][co] = Σ over output pixels g of src[run(g, r) + k] · dy[g][co], a
// matrix product whose reduction runs over every pixel of the batch. run(g, r) is the forward
// convolution's window run (see conv-gemm.ts), read from the same zero-padded source. Threads split
// the filter's rows (r, k) in pairs, so each value is reduced by one thread, over pixel blocks in
// a fixed order: the result does not depend on the thread count.
import { microFilter1x16, microFilter2x16 } from './gemm-micro';
import { f32s, shareStart } from './simd';

/** Pixels reduced per pass over the filter: enough to hide the tile's load and store, few enough that dy's block stays in cache. */
// @ts-ignore: decorator
@inline function pixelBlock(cols: i32): i32 {
  return max(32, min(256, 65536 / cols));
}

/** Bytes of the per-thread scratch: one pointer per pixel of a block. */
export const FILTER_SCRATCH_BYTES: i32 = 256 * 4;

/**
 * dw: [rows, runLength, cols] (HWIO, rows = KH, runLength = KW·Ci, cols = Co), overwritten.
 * src: [*, srcH, srcW, srcC]; output pixel (n, i, j) of the [n, gh, gw] grid reads kernel row r from
 * source row n·srcH + i·aRowStride + r, column j·aColStride. dy: [n·gh·gw, cols], cols a multiple
 * of 16 (the caller pads otherwise).
 */
export function convFilterGrad(
  src: usize,
  srcH: i32,
  srcW: i32,
  srcC: i32,
  aRowStride: i32,
  aColStride: i32,
  rows: i32,
  runLength: i32,
  dy: usize,
  cols: i32,
  dw: usize,
  n: i32,
  gh: i32,
  gw: i32,
  scratch: usize,
  scratchStride: i32,
  t: i32,
  threads: i32,
): void {
  const perImage = gh * gw;
  const pixels = n * perImage;
  const pairsPerRow = (runLength + 1) >> 1;
  const q0 = shareStart(rows * pairsPerRow, t, threads);
  const q1 = shareStart(rows * pairsPerRow, t + 1, threads);
  if (q0 >= q1) return;
  const ptrs = scratch + <usize>t * <usize>scratchStride;
  const block = pixelBlock(cols);
  const panels = cols >> 4;
  const dyStride = f32s(cols);
  for (let p0 = 0; p0 < pixels; p0 += block) {
    const count = min(block, pixels - p0);
    let filled = -1;
    for (let q = q0; q < q1; q++) {
      const r = q / pairsPerRow;
      const k = (q - r * pairsPerRow) << 1;
      if (r != filled) {
        for (let p = 0; p < count; p++) {
          const g = p0 + p;
          const img = g / perImage;
          const rem = g - img * perImage;
          const i = rem / gw;
          const j = rem - i * gw;
          const offset = ((img * srcH + i * aRowStride + r) * srcW + j * aColStride) * srcC;
          store<u32>(ptrs + f32s(p), <u32>(src + f32s(offset)));
        }
        filled = r;
      }
      const c0 = dw + f32s((r * runLength + k) * cols);
      const d = dy + f32s(p0 * cols);
      const accumulate = p0 > 0;
      if (k + 1 < runLength) {
        for (let b = 0; b < panels; b++) {
          microFilter2x16(ptrs, f32s(k), d + f32s(b * 16), dyStride, count, c0 + f32s(b * 16), c0 + f32s(cols + b * 16), accumulate);
        }
      } else {
        for (let b = 0; b < panels; b++) {
          microFilter1x16(ptrs, f32s(k), d + f32s(b * 16), dyStride, count, c0 + f32s(b * 16), accumulate);
        }
      }
    }
  }
}
