// The filter gradient: dW[r][k][co] = Σ over output pixels g of src[run(g, r) + k] · dy[g][co], a
// matrix product whose reduction runs over every pixel of the batch. run(g, r) is the forward
// convolution's window run (see conv-gemm.ts), read from the same zero-padded source. Per block of
// pixels, each thread packs dy into 16-channel panels and, per pair of filter rows, the pair's input
// values, so the micro-kernel streams both contiguously. Threads split the filter's rows (r, k) in
// pairs: each value is reduced by one thread, over pixel blocks in a fixed order, so the result
// does not depend on the thread count.
import { microFilter2x16 } from './gemm-micro';
import { f32s, shareStart } from './simd';

/** Floats of dy one thread packs per pixel block: the block is as many pixels as fit, up to 256. */
const DY_PACK_FLOATS: i32 = 32768;
/** Most pixels in a block. */
const MAX_BLOCK: i32 = 256;

/** Bytes of per-thread scratch: the packed dy block, one packed pair, one pixel-offset table, a 2x16 tile. */
export const FILTER_SCRATCH_BYTES: i32 = DY_PACK_FLOATS * 4 + MAX_BLOCK * 8 + MAX_BLOCK * 4 + 2 * 16 * 4;

/** Pixels reduced per pass: shape-only (so results do not depend on the threads), dy's packed block ≤ 128 KiB. */
// @ts-ignore: decorator
@inline function pixelBlock(cols: i32): i32 {
  return max(16, min(MAX_BLOCK, DY_PACK_FLOATS / cols));
}

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
  const block = pixelBlock(cols);
  const panels = cols >> 4;
  const packedDy = scratch + <usize>t * <usize>scratchStride;
  const pair = packedDy + f32s(DY_PACK_FLOATS);
  const offsets = pair + f32s(MAX_BLOCK * 2);
  const tile = offsets + f32s(MAX_BLOCK);
  for (let p0 = 0; p0 < pixels; p0 += block) {
    const count = min(block, pixels - p0);
    // dy's block, as panels of 16 channels: panel j, pixel p at packedDy + (j·count + p)·16 floats.
    for (let p = 0; p < count; p++) {
      const from = dy + f32s((p0 + p) * cols);
      for (let j = 0; j < panels; j++) {
        const to = packedDy + f32s((j * count + p) * 16);
        const s = from + f32s(j * 16);
        v128.store(to, v128.load(s));
        v128.store(to, v128.load(s, 16), 16);
        v128.store(to, v128.load(s, 32), 32);
        v128.store(to, v128.load(s, 48), 48);
      }
    }
    // Each pixel's window run in the source, for kernel row 0.
    for (let p = 0; p < count; p++) {
      const g = p0 + p;
      const img = g / perImage;
      const rem = g - img * perImage;
      const i = rem / gw;
      const j = rem - i * gw;
      store<i32>(offsets + f32s(p), ((img * srcH + i * aRowStride) * srcW + j * aColStride) * srcC);
    }
    const accumulate = p0 > 0;
    for (let q = q0; q < q1; q++) {
      const r = q / pairsPerRow;
      const k = (q - r * pairsPerRow) << 1;
      const both = k + 1 < runLength;
      const base = src + f32s(r * srcW * srcC + k);
      for (let p = 0; p < count; p++) {
        const x = base + f32s(load<i32>(offsets + f32s(p)));
        store<f32>(pair + f32s(2 * p), load<f32>(x));
        store<f32>(pair + f32s(2 * p + 1), both ? load<f32>(x, 4) : 0);
      }
      const c0 = dw + f32s((r * runLength + k) * cols);
      for (let j = 0; j < panels; j++) {
        const o = f32s(j * 16);
        if (both) microFilter2x16(pair, packedDy + f32s(j * count * 16), count, c0 + o, c0 + f32s(cols) + o, accumulate);
        else {
          // The last row of an odd run: its partner row goes to the scratch tile.
          microFilter2x16(pair, packedDy + f32s(j * count * 16), count, c0 + o, tile, accumulate);
        }
      }
    }
  }
}
