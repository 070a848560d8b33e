// Pooling kernels of the training step: the max pool's gradient (the stem) and the global average
// pool and its gradient (the head). Threads split channels or rows, never a sum.
import { f32s, shareStart } from './simd';

/**
 * dx[n, h, w, c] = Σ of dy over the windows whose first maximum (row-major order, positions outside
 * x skipped) is x[n, h, w, c], as PyTorch and tfjs' cpu kernel. x, dx: [n, h, w, c]; dy: [n, oh, ow, c].
 * Threads split the channels, so no two threads add into one value.
 */
export function maxPoolGrad(
  x: usize,
  dy: usize,
  dx: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  oh: i32,
  ow: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  top: i32,
  left: i32,
  t: i32,
  threads: i32,
): void {
  const c0 = shareStart(c, t, threads);
  const c1 = shareStart(c, t + 1, threads);
  if (c0 >= c1) return;
  for (let p = 0; p < n * h * w; p++) memory.fill(dx + f32s(p * c + c0), 0, f32s(c1 - c0));
  for (let img = 0; img < n; img++) {
    for (let i = 0; i < oh; i++) {
      const h0 = max(0, i * sh - top);
      const h1 = min(h, i * sh - top + kh);
      for (let j = 0; j < ow; j++) {
        const w0 = max(0, j * sw - left);
        const w1 = min(w, j * sw - left + kw);
        const g = dy + f32s(((img * oh + i) * ow + j) * c);
        for (let ch = c0; ch < c1; ch++) {
          let best = f32.NEGATIVE_INFINITY;
          let at = -1;
          for (let r = h0; r < h1; r++) {
            for (let s = w0; s < w1; s++) {
              const idx = ((img * h + r) * w + s) * c + ch;
              const v = load<f32>(x + f32s(idx));
              if (at < 0 || v > best) {
                best = v;
                at = idx;
              }
            }
          }
          if (at >= 0) store<f32>(dx + f32s(at), load<f32>(dx + f32s(at)) + load<f32>(g + f32s(ch)));
        }
      }
    }
  }
}

/**
 * y[n, i, j, c] = the maximum of x over window (i, j) (positions outside x skipped, as padding with
 * −∞), for an NHWC x [n, h, w, c] and y [n, oh, ow, c]; c % 4 == 0. Threads split the output rows.
 */
export function maxPool(
  x: usize,
  y: usize,
  n: i32,
  h: i32,
  w: i32,
  c: i32,
  oh: i32,
  ow: i32,
  kh: i32,
  kw: i32,
  sh: i32,
  sw: i32,
  top: i32,
  left: i32,
  t: i32,
  threads: i32,
): void {
  const r0 = shareStart(n * oh, t, threads);
  const r1 = shareStart(n * oh, t + 1, threads);
  for (let row = r0; row < r1; row++) {
    const img = row / oh;
    const i = row - img * oh;
    const h0 = max(0, i * sh - top);
    const h1 = min(h, i * sh - top + kh);
    for (let j = 0; j < ow; j++) {
      const w0 = max(0, j * sw - left);
      const w1 = min(w, j * sw - left + kw);
      const out = y + f32s((row * ow + j) * c);
      for (let ch = 0; ch < c; ch += 4) {
        let m = f32x4.splat(f32.NEGATIVE_INFINITY);
        for (let r = h0; r < h1; r++) {
          for (let s = w0; s < w1; s++) m = f32x4.max(m, v128.load(x + f32s(((img * h + r) * w + s) * c + ch)));
        }
        v128.store(out + f32s(ch), m);
      }
    }
  }
}

/** y[n, c] = mean over h·w of x[n, :, :, c]; c % 4 == 0. Threads split (image, 4 channels) groups. */
export function globalAvgPool(x: usize, n: i32, hw: i32, c: i32, y: usize, t: i32, threads: i32): void {
  const groups = c >> 2;
  const u0 = shareStart(n * groups, t, threads);
  const u1 = shareStart(n * groups, t + 1, threads);
  const scale = f32x4.splat(1 / <f32>hw);
  for (let u = u0; u < u1; u++) {
    const img = u / groups;
    const ch = (u - img * groups) << 2;
    let p = x + f32s(img * hw * c + ch);
    let s = f32x4.splat(0);
    for (let i = 0; i < hw; i++) {
      s = f32x4.add(s, v128.load(p));
      p += f32s(c);
    }
    v128.store(y + f32s(img * c + ch), f32x4.mul(s, scale));
  }
}

/** dx[n, i, c] = dy[n, c] / hw for every position i < hw; c % 4 == 0. Threads split the rows. */
export function globalAvgPoolGrad(dy: usize, n: i32, hw: i32, c: i32, dx: usize, t: i32, threads: i32): void {
  const r0 = shareStart(n * hw, t, threads);
  const r1 = shareStart(n * hw, t + 1, threads);
  const scale = f32x4.splat(1 / <f32>hw);
  for (let r = r0; r < r1; r++) {
    const img = r / hw;
    const src = dy + f32s(img * c);
    const dst = dx + f32s(r * c);
    for (let ch = 0; ch < c; ch += 4) v128.store(dst + f32s(ch), f32x4.mul(v128.load(src + f32s(ch)), scale));
  }
}
