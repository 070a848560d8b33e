// The copy that gives the products contiguous runs: a zero-padded copy of an NHWC tensor.
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
