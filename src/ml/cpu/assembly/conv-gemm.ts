// The driver of the forward convolution and of the input gradient: an implicit matrix product on
// NHWC tensors. Each output pixel g, for each kernel row r, reads one contiguous run of the source
// (a zero-padded copy where the convolution pads), of `runLength` floats; each run meets the filter
// rows of that run, packed per thread into 16-column panels. Blocking: 64-column block (its whole
// filter packed once) → block of 128 pixels (their outputs stay in cache through the reduction) →
// kernel row → chunk of ≤ 128 run values → pixel pair → 16-column panel (the micro-kernel).
//
// Threads split (column block, pixel block) units: every output value is computed by one thread, in
// the same order whatever the thread count.
import { micro1x16, micro2x16 } from './gemm-micro';
import { f32s, shareStart } from './simd';

/** Longest run chunk one micro-kernel call reduces. */
const KC: i32 = 128;
/** Columns of one packed block: 4 panels of 16. */
const NB: i32 = 64;
/** Output pixels computed together against one packed block. */
const MB: i32 = 128;
/** Bytes of the per-thread scratch this kernel uses: two offset tables, then a 2x16 tile for ragged column panels. */
export const GEMM_SCRATCH_BYTES: i32 = 2 * MB * 4 + 2 * 16 * 4;

/**
 * Copies the filter rows of one 64-column block (columns col0 .. col0+width) for every kernel row r
 * and run position k into packed panels: the chunk starting at k0 of row r is at
 * pack + (r·runLength + k0)·64 floats, as panels of kc rows of 16 (zero beyond `width`).
 * Filter value (r, k, col) lies at wRow0 + r·wRowStep + (k / unit)·unitStride + (k % unit)·rowStride
 * + col·colStride floats. colStride 1 (the forward: filter rows are contiguous) copies rows; the input
 * gradient reads the filter transposed (rowStride 1, colStride = Co) and transposes 4 x 4 blocks.
 */
function packColumnBlock(
  pack: usize,
  w: usize,
  rows: i32,
  runLength: i32,
  chunk: i32,
  wRow0: i32,
  wRowStep: i32,
  unit: i32,
  unitStride: i32,
  rowStride: i32,
  colStride: i32,
  col0: i32,
  width: i32,
): void {
  const panels = (width + 15) >> 4;
  for (let r = 0; r < rows; r++) {
    for (let k0 = 0; k0 < runLength; k0 += chunk) {
      const kc = min(chunk, runLength - k0);
      const block = pack + f32s((r * runLength + k0) * NB);
      let k = 0;
      while (k < kc) {
        const kk = k0 + k;
        const u = kk / unit;
        const e = kk - u * unit;
        const src = w + f32s(wRow0 + r * wRowStep + u * unitStride + e * rowStride + col0 * colStride);
        if (colStride == 1) {
          for (let j = 0; j < panels; j++) {
            const dst = block + f32s((j * kc + k) * 16);
            const s = src + f32s(j * 16);
            const left = width - j * 16;
            if (left >= 16) {
              v128.store(dst, v128.load(s));
              v128.store(dst, v128.load(s, 16), 16);
              v128.store(dst, v128.load(s, 32), 32);
              v128.store(dst, v128.load(s, 48), 48);
            } else {
              for (let c = 0; c < 16; c++) store<f32>(dst + f32s(c), c < left ? load<f32>(s + f32s(c)) : 0);
            }
          }
          k++;
        } else if (rowStride == 1 && k + 4 <= kc && e + 4 <= unit && (width & 3) == 0) {
          // Four filter rows at once: 4 x 4 blocks of (column, row) read as columns, stored as rows.
          for (let c = 0; c < width; c += 4) {
            const s = src + f32s(c * colStride);
            const r0 = v128.load(s);
            const r1 = v128.load(s + f32s(colStride));
            const r2 = v128.load(s + f32s(2 * colStride));
            const r3 = v128.load(s + f32s(3 * colStride));
            const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
            const t1 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
            const t2 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
            const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
            const dst = block + f32s(((c >> 4) * kc + k) * 16 + (c & 15));
            v128.store(dst, v128.shuffle<i32>(t0, t1, 0, 1, 4, 5));
            v128.store(dst, v128.shuffle<i32>(t0, t1, 2, 3, 6, 7), 64);
            v128.store(dst, v128.shuffle<i32>(t2, t3, 0, 1, 4, 5), 128);
            v128.store(dst, v128.shuffle<i32>(t2, t3, 2, 3, 6, 7), 192);
          }
          for (let c = width; c < panels * 16; c++) {
            for (let i = 0; i < 4; i++) store<f32>(block + f32s(((c >> 4) * kc + k + i) * 16 + (c & 15)), 0);
          }
          k += 4;
        } else {
          for (let c = 0; c < panels * 16; c++) {
            store<f32>(block + f32s(((c >> 4) * kc + k) * 16 + (c & 15)), c < width ? load<f32>(src + f32s(c * colStride)) : 0);
          }
          k++;
        }
      }
    }
  }
}

/**
 * dst[g, col] = Σ over kernel rows r and run positions k of src[run(g, r) + k] · filter(r, k, col),
 * for the output pixels g of an [n, gh, gw] grid. All offsets are in floats. With rows = 0 (a stride
 * phase no kernel tap reaches) the outputs are zeroed.
 *
 * src: [*, srcH, srcW, srcC]; pixel (n, i, j) reads rows n·srcH + i·aRowStride + aRow0 + r and
 * columns j·aColStride + aCol0 onwards. Filter value (r, k, col): wRow0 + r·wRowStep + (k / unit)·unitStride
 * + (k % unit)·rowStride + col·colStride. dst: [*, dstH, dstW, cols]; pixel (n, i, j) writes row n·dstH + i·cRowStride
 * + cRow0, column j·cColStride + cCol0. Each thread packs a column block's whole filter into
 * packs + t·packStride bytes (rows · runLength · 64 floats) when it reaches that block; scratch is the
 * per-thread scratch, t·scratchStride bytes in.
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
  colStride: i32,
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
  packs: usize,
  packStride: i32,
  scratch: usize,
  scratchStride: i32,
  t: i32,
  threads: i32,
): void {
  const perImage = gh * gw;
  const pixels = n * perImage;
  const blocks = (cols + NB - 1) / NB;
  const pixelBlocks = (pixels + MB - 1) / MB;
  const u0 = shareStart(blocks * pixelBlocks, t, threads);
  const u1 = shareStart(blocks * pixelBlocks, t + 1, threads);
  if (u0 >= u1) return;
  const aOffsets = scratch + <usize>t * <usize>scratchStride;
  const cOffsets = aOffsets + f32s(MB);
  const tile = cOffsets + f32s(MB);
  const pack = packs + <usize>t * <usize>packStride;
  const chunks = max(1, (runLength + KC - 1) / KC);
  const chunk = max(1, (runLength + chunks - 1) / chunks);
  let packed = -1;
  for (let u = u0; u < u1; u++) {
    const b = u / pixelBlocks;
    const g0 = (u - b * pixelBlocks) * MB;
    const count = min(MB, pixels - g0);
    const col0 = b * NB;
    const width = min(NB, cols - col0);
    const panels = (width + 15) >> 4;
    for (let p = 0; p < count; p++) {
      const g = g0 + p;
      const img = g / perImage;
      const rem = g - img * perImage;
      const i = rem / gw;
      const j = rem - i * gw;
      store<i32>(aOffsets + f32s(p), ((img * srcH + i * aRowStride + aRow0) * srcW + j * aColStride + aCol0) * srcC);
      store<i32>(cOffsets + f32s(p), ((img * dstH + i * cRowStride + cRow0) * dstW + j * cColStride + cCol0) * cols + col0);
    }
    if (rows == 0) {
      for (let p = 0; p < count; p++) memory.fill(dst + f32s(load<i32>(cOffsets + f32s(p))), 0, f32s(width));
      continue;
    }
    if (b != packed) {
      packColumnBlock(pack, w, rows, runLength, chunk, wRow0, wRowStep, unit, unitStride, rowStride, colStride, col0, width);
      packed = b;
    }
    for (let r = 0; r < rows; r++) {
      const rowOffset = r * srcW * srcC;
      for (let k0 = 0; k0 < runLength; k0 += chunk) {
        const kc = min(chunk, runLength - k0);
        const block = pack + f32s((r * runLength + k0) * NB);
        const accumulate = r > 0 || k0 > 0;
        for (let p = 0; p < count; p += 2) {
          const pair = p + 1 < count;
          const a0 = src + f32s(load<i32>(aOffsets + f32s(p)) + rowOffset + k0);
          const c0 = dst + f32s(load<i32>(cOffsets + f32s(p)));
          const a1 = pair ? src + f32s(load<i32>(aOffsets + f32s(p + 1)) + rowOffset + k0) : a0;
          const c1 = pair ? dst + f32s(load<i32>(cOffsets + f32s(p + 1))) : c0;
          for (let j = 0; j < panels; j++) {
            const panel = block + f32s(j * kc * 16);
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
