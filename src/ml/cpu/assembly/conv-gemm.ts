// The driver of the forward convolution and of the input gradient: an implicit matrix product on
// NHWC tensors. Each output pixel g, for each kernel row r, reads one contiguous run of the source
// (a zero-padded copy where the convolution pads), of `runLength` floats; each run meets a block of
// filter rows, packed per thread into 16-column panels. Blocking: 64-column block → kernel row →
// chunk of ≤ 128 run values → pixel pair → 16-column panel (the micro-kernel).
//
// Work is split by output pixels (pairs) or, where there are few, by 64-column blocks: every output
// value is computed by one thread in the same order whatever the thread count.
import { micro1x16, micro2x16 } from './gemm-micro';
import { f32s, shareStart } from './simd';

/** Longest run chunk one packed block holds. */
const KC: i32 = 128;
/** Columns of one packed block: 4 panels of 16. */
const NB: i32 = 64;
/** Bytes of the per-thread scratch this kernel uses: the packed block, then a 2x16 tile for ragged column panels. */
export const GEMM_SCRATCH_BYTES: i32 = KC * NB * 4 + 2 * 16 * 4;

/** Where pixel g's run of kernel row 0 starts in the source, in floats. */
// @ts-ignore: decorator
@inline function sourceOffset(
  g: i32,
  perImage: i32,
  gw: i32,
  srcH: i32,
  srcW: i32,
  srcC: i32,
  aRowStride: i32,
  aRow0: i32,
  aColStride: i32,
  aCol0: i32,
): i32 {
  const n = g / perImage;
  const rem = g - n * perImage;
  const i = rem / gw;
  const j = rem - i * gw;
  return ((n * srcH + i * aRowStride + aRow0) * srcW + j * aColStride + aCol0) * srcC;
}

/** Where pixel g's output row starts in the destination, in floats. */
// @ts-ignore: decorator
@inline function destinationOffset(
  g: i32,
  perImage: i32,
  gw: i32,
  dstH: i32,
  dstW: i32,
  cols: i32,
  cRowStride: i32,
  cRow0: i32,
  cColStride: i32,
  cCol0: i32,
): i32 {
  const n = g / perImage;
  const rem = g - n * perImage;
  const i = rem / gw;
  const j = rem - i * gw;
  return ((n * dstH + i * cRowStride + cRow0) * dstW + j * cColStride + cCol0) * cols;
}

/**
 * Copies filter rows k0 .. k0+kc of kernel row r, columns col0 .. col0+width, into 16-column panels
 * (panel j at pack + j·kc·16 floats), zero beyond `width`. Filter row k of run position k lies at
 * wRow + (k / unit)·unitStride + (k % unit)·rowStride floats.
 */
function packBlock(
  pack: usize,
  w: usize,
  wRow: i32,
  unit: i32,
  unitStride: i32,
  rowStride: i32,
  k0: i32,
  kc: i32,
  col0: i32,
  width: i32,
): void {
  const panels = (width + 15) >> 4;
  for (let k = 0; k < kc; k++) {
    const kk = k0 + k;
    const u = kk / unit;
    const src = w + f32s(wRow + u * unitStride + (kk - u * unit) * rowStride + col0);
    for (let j = 0; j < panels; j++) {
      const dst = pack + f32s((j * kc + k) * 16);
      const s = src + f32s(j * 16);
      const left = width - j * 16;
      if (left >= 16) {
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        v128.store(dst, v128.load(s, 32), 32);
        v128.store(dst, v128.load(s, 48), 48);
      } else {
        for (let e = 0; e < 16; e++) store<f32>(dst + f32s(e), e < left ? load<f32>(s + f32s(e)) : 0);
      }
    }
  }
}

/**
 * dst[g, col] = Σ over kernel rows r and run positions k of src[run(g, r) + k] · filter(r, k, col),
 * for the output pixels g of an [n, gh, gw] grid. See the file comment for the layout; all offsets
 * are in floats. With rows = 0 (a stride phase no kernel tap reaches) the outputs are zeroed.
 *
 * src: [*, srcH, srcW, srcC]; pixel (n, i, j) reads rows n·srcH + i·aRowStride + aRow0 + r and
 * columns j·aColStride + aCol0 onwards. Filter row of (r, k): wRow0 + r·wRowStep + (k / unit)·unitStride
 * + (k % unit)·rowStride. dst: [*, dstH, dstW, cols]; pixel (n, i, j) writes row n·dstH + i·cRowStride
 * + cRow0, column j·cColStride + cCol0. scratch: this kernel's per-thread scratch, threads · stride bytes.
 */
export function convGemm(
  src: usize,
  srcH: i32,
  srcW: i32,
  srcC: i32,
  aRowStride: i32,
  aRow0: i32,
  aColStride: i32,
  aCol0: i32,
  rows: i32,
  runLength: i32,
  w: usize,
  wRow0: i32,
  wRowStep: i32,
  unit: i32,
  unitStride: i32,
  rowStride: i32,
  dst: usize,
  dstH: i32,
  dstW: i32,
  cols: i32,
  cRowStride: i32,
  cRow0: i32,
  cColStride: i32,
  cCol0: i32,
  n: i32,
  gh: i32,
  gw: i32,
  scratch: usize,
  scratchStride: i32,
  splitColumns: i32,
  t: i32,
  threads: i32,
): void {
  const perImage = gh * gw;
  const pixels = n * perImage;
  const blocks = (cols + NB - 1) / NB;
  let p0 = 0,
    p1 = pixels,
    b0 = 0,
    b1 = blocks;
  if (splitColumns) {
    b0 = shareStart(blocks, t, threads);
    b1 = shareStart(blocks, t + 1, threads);
  } else {
    const pairs = (pixels + 1) >> 1;
    p0 = shareStart(pairs, t, threads) << 1;
    p1 = min(pixels, shareStart(pairs, t + 1, threads) << 1);
  }
  if (p0 >= p1 || b0 >= b1) return;
  const pack = scratch + <usize>t * <usize>scratchStride;
  const tile = pack + f32s(KC * NB);

  if (rows == 0) {
    for (let g = p0; g < p1; g++) {
      const c = dst + f32s(destinationOffset(g, perImage, gw, dstH, dstW, cols, cRowStride, cRow0, cColStride, cCol0));
      for (let col = b0 * NB; col < min(cols, b1 * NB); col++) store<f32>(c + f32s(col), 0);
    }
    return;
  }

  const chunks = (runLength + KC - 1) / KC;
  const chunk = (runLength + chunks - 1) / chunks;
  for (let b = b0; b < b1; b++) {
    const col0 = b * NB;
    const width = min(NB, cols - col0);
    const panels = (width + 15) >> 4;
    for (let r = 0; r < rows; r++) {
      const rowOffset = r * srcW * srcC;
      for (let k0 = 0; k0 < runLength; k0 += chunk) {
        const kc = min(chunk, runLength - k0);
        packBlock(pack, w, wRow0 + r * wRowStep, unit, unitStride, rowStride, k0, kc, col0, width);
        const accumulate = r > 0 || k0 > 0;
        for (let g = p0; g < p1; g += 2) {
          const pair = g + 1 < p1;
          const a0 = src + f32s(sourceOffset(g, perImage, gw, srcH, srcW, srcC, aRowStride, aRow0, aColStride, aCol0) + rowOffset + k0);
          const c0 = dst + f32s(destinationOffset(g, perImage, gw, dstH, dstW, cols, cRowStride, cRow0, cColStride, cCol0) + col0);
          let a1 = a0;
          let c1 = c0;
          if (pair) {
            a1 = src + f32s(sourceOffset(g + 1, perImage, gw, srcH, srcW, srcC, aRowStride, aRow0, aColStride, aCol0) + rowOffset + k0);
            c1 = dst + f32s(destinationOffset(g + 1, perImage, gw, dstH, dstW, cols, cRowStride, cRow0, cColStride, cCol0) + col0);
          }
          for (let j = 0; j < panels; j++) {
            const panel = pack + f32s(j * kc * 16);
            const left = width - j * 16;
            const o = f32s(j * 16);
            if (left >= 16) {
              if (pair) micro2x16(a0, a1, panel, kc, c0 + o, c1 + o, accumulate);
              else micro1x16(a0, panel, kc, c0 + o, accumulate);
            } else {
              // A ragged last panel goes through the scratch tile, so nothing past `cols` is touched.
              for (let e = 0; e < 16; e++) {
                store<f32>(tile + f32s(e), accumulate && e < left ? load<f32>(c0 + o + f32s(e)) : 0);
                store<f32>(tile + f32s(16 + e), accumulate && pair && e < left ? load<f32>(c1 + o + f32s(e)) : 0);
              }
              if (pair) micro2x16(a0, a1, panel, kc, tile, tile + 64, true);
              else micro1x16(a0, panel, kc, tile, true);
              for (let e = 0; e < left; e++) {
                store<f32>(c0 + o + f32s(e), load<f32>(tile + f32s(e)));
                if (pair) store<f32>(c1 + o + f32s(e), load<f32>(tile + f32s(16 + e)));
              }
            }
          }
        }
      }
    }
  }
}
