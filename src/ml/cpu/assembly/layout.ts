// Copies that give the products contiguous runs: a zero-padded copy of an NHWC tensor, and the
// filter with its two channel axes swapped (for the input gradient).
import { f32s, shareStart } from './simd';

/**
 * dst[n, r, c, :] = src[n, r − top, c − left, :] inside src, 0 outside. src: [n, h, w, ch]; dst:
 * [n, dh, dw, ch]. Threads split the destination rows.
 */
export function padCopy(
  src: usize,
  n: i32,
  h: i32,
  w: i32,
  ch: i32,
  dst: usize,
  dh: i32,
  dw: i32,
  top: i32,
  left: i32,
  t: i32,
  threads: i32,
): void {
  const rows = n * dh;
  const r0 = shareStart(rows, t, threads);
  const r1 = shareStart(rows, t + 1, threads);
  const rowFloats = dw * ch;
  // Columns of the destination row that come from the source.
  const c0 = max(0, left);
  const c1 = min(dw, w + left);
  for (let row = r0; row < r1; row++) {
    const img = row / dh;
    const r = row - img * dh;
    const out = dst + f32s(row * rowFloats);
    const sr = r - top;
    if (sr < 0 || sr >= h || c0 >= c1) {
      memory.fill(out, 0, f32s(rowFloats));
      continue;
    }
    if (c0 > 0) memory.fill(out, 0, f32s(c0 * ch));
    memory.copy(out + f32s(c0 * ch), src + f32s(((img * h + sr) * w + c0 - left) * ch), f32s((c1 - c0) * ch));
    if (c1 < dw) memory.fill(out + f32s(c1 * ch), 0, f32s((dw - c1) * ch));
  }
}

/** dst[tap][o][i] = src[tap][i][o] for a [taps, ci, co] filter. Threads split (tap, 4 inputs) blocks. */
export function transposeFilter(src: usize, taps: i32, ci: i32, co: i32, dst: usize, t: i32, threads: i32): void {
  const groups = (ci + 3) >> 2;
  const u0 = shareStart(taps * groups, t, threads);
  const u1 = shareStart(taps * groups, t + 1, threads);
  for (let u = u0; u < u1; u++) {
    const tap = u / groups;
    const i = (u - tap * groups) << 2;
    const s = src + f32s(tap * ci * co);
    const d = dst + f32s(tap * ci * co);
    if (i + 4 <= ci) {
      let o = 0;
      for (; o + 4 <= co; o += 4) {
        const r0 = v128.load(s + f32s(i * co + o));
        const r1 = v128.load(s + f32s((i + 1) * co + o));
        const r2 = v128.load(s + f32s((i + 2) * co + o));
        const r3 = v128.load(s + f32s((i + 3) * co + o));
        const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5);
        const t1 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5);
        const t2 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7);
        const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7);
        v128.store(d + f32s(o * ci + i), v128.shuffle<i32>(t0, t1, 0, 1, 4, 5));
        v128.store(d + f32s((o + 1) * ci + i), v128.shuffle<i32>(t0, t1, 2, 3, 6, 7));
        v128.store(d + f32s((o + 2) * ci + i), v128.shuffle<i32>(t2, t3, 0, 1, 4, 5));
        v128.store(d + f32s((o + 3) * ci + i), v128.shuffle<i32>(t2, t3, 2, 3, 6, 7));
      }
      for (; o < co; o++) {
        for (let e = 0; e < 4; e++) store<f32>(d + f32s(o * ci + i + e), load<f32>(s + f32s((i + e) * co + o)));
      }
    } else {
      for (let e = i; e < ci; e++) {
        for (let o = 0; o < co; o++) store<f32>(d + f32s(o * ci + e), load<f32>(s + f32s(e * co + o)));
      }
    }
  }
}
