// BatchNorm2d in training mode over NHWC, fused with the ReLU and the residual add that follow it in
// a ResNet bottleneck: forward (batch statistics, running statistics, output) and backward in one
// pass over the threads each. Threads split the channels (4 per group; the caller guarantees
// channels % 4 == 0), so the per-channel sums need no reduction across threads and do not depend on
// the thread count. Sums run in blocks of 64 rows added to a running total: a float32 error that
// grows with the block count, not with the number of rows.
import { f32s, madd, shareStart, zero4 } from './simd';

const ROWS_PER_BLOCK: i32 = 64;

/** Bytes of per-thread scratch: four 4-lane values per group of 4 channels, up to 2048 channels. */
export const BATCH_NORM_SCRATCH_BYTES: i32 = (2048 / 4) * 4 * 16;

/** The first and one-past-last 4-channel group of thread t: 16-channel units where they divide, so threads rarely share a cache line. */
// @ts-ignore: decorator
@inline function groupStart(channels: i32, t: i32, threads: i32): i32 {
  const per = channels % 16 == 0 ? 4 : 1;
  return shareStart(channels / (4 * per), t, threads) * per;
}

/** Σ over rows of x[row][4g .. 4g+4] for the thread's groups, totals into `sums` (one v128 per group). */
function channelSums(x: usize, rows: i32, channels: i32, g0: i32, g1: i32, centre: usize, sums: usize): void {
  for (let g = g0; g < g1; g++) v128.store(sums + <usize>((g - g0) << 4), zero4());
  const stride = f32s(channels);
  for (let r0 = 0; r0 < rows; r0 += ROWS_PER_BLOCK) {
    const r1 = min(rows, r0 + ROWS_PER_BLOCK);
    for (let g = g0; g < g1; g++) {
      let p = x + f32s(r0 * channels + 4 * g);
      let s = zero4();
      if (centre) {
        const m = v128.load(centre + <usize>((g - g0) << 4));
        for (let r = r0; r < r1; r++) {
          const d = f32x4.sub(v128.load(p), m);
          s = madd(d, d, s);
          p += stride;
        }
      } else {
        for (let r = r0; r < r1; r++) {
          s = f32x4.add(s, v128.load(p));
          p += stride;
        }
      }
      const at = sums + <usize>((g - g0) << 4);
      v128.store(at, f32x4.add(v128.load(at), s));
    }
  }
}

/**
 * Training-mode forward. x, y: [rows, channels]; gamma, beta, runMean, runVar, and the outputs mean,
 * invStd, newRunMean, newRunVar: [channels]. y = (x − μ)·σ⁻¹·γ + β (+ residual, when not 0) (then
 * ReLU, when relu ≠ 0), with μ and the biased σ² of the batch; the running statistics move by
 * `momentum` towards μ and the unbiased variance, as PyTorch's.
 */
export function batchNormForward(
  x: usize,
  rows: i32,
  channels: i32,
  gamma: usize,
  beta: usize,
  residual: usize,
  relu: i32,
  eps: f32,
  momentum: f32,
  runMean: usize,
  runVar: usize,
  y: usize,
  mean: usize,
  invStd: usize,
  newRunMean: usize,
  newRunVar: usize,
  scratch: usize,
  scratchStride: i32,
  t: i32,
  threads: i32,
): void {
  const g0 = groupStart(channels, t, threads);
  const g1 = groupStart(channels, t + 1, threads);
  if (g0 >= g1) return;
  const groups = g1 - g0;
  const base = scratch + <usize>t * <usize>scratchStride;
  const sums = base;
  const means = base + <usize>(groups << 4);
  const scales = base + <usize>(2 * groups << 4);
  const invRows = f32x4.splat(1 / <f32>rows);
  channelSums(x, rows, channels, g0, g1, 0, sums);
  for (let g = 0; g < groups; g++) v128.store(means + <usize>(g << 4), f32x4.mul(v128.load(sums + <usize>(g << 4)), invRows));
  channelSums(x, rows, channels, g0, g1, means, sums);
  const unbias = f32x4.splat(<f32>rows / <f32>max(1, rows - 1));
  const keep = f32x4.splat(1 - momentum);
  const mom = f32x4.splat(momentum);
  for (let g = 0; g < groups; g++) {
    const c = f32s(4 * (g0 + g));
    const mu = v128.load(means + <usize>(g << 4));
    const variance = f32x4.mul(v128.load(sums + <usize>(g << 4)), invRows);
    const inv = f32x4.div(f32x4.splat(1), f32x4.sqrt(f32x4.add(variance, f32x4.splat(eps))));
    v128.store(mean + c, mu);
    v128.store(invStd + c, inv);
    v128.store(newRunMean + c, f32x4.add(f32x4.mul(v128.load(runMean + c), keep), f32x4.mul(mu, mom)));
    v128.store(newRunVar + c, f32x4.add(f32x4.mul(v128.load(runVar + c), keep), f32x4.mul(f32x4.mul(variance, unbias), mom)));
    v128.store(scales + <usize>(g << 4), f32x4.mul(inv, v128.load(gamma + c)));
  }
  const stride = f32s(channels);
  const zero = zero4();
  for (let r0 = 0; r0 < rows; r0 += ROWS_PER_BLOCK) {
    const r1 = min(rows, r0 + ROWS_PER_BLOCK);
    for (let g = 0; g < groups; g++) {
      const c = f32s(4 * (g0 + g));
      const mu = v128.load(means + <usize>(g << 4));
      const k = v128.load(scales + <usize>(g << 4));
      const b = v128.load(beta + c);
      let off = f32s(r0 * channels) + c;
      for (let r = r0; r < r1; r++) {
        let v = madd(f32x4.sub(v128.load(x + off), mu), k, b);
        if (residual) v = f32x4.add(v, v128.load(residual + off));
        if (relu) v = f32x4.max(v, zero);
        v128.store(y + off, v);
        off += stride;
      }
    }
  }
}

/**
 * Training-mode backward of {@link batchNormForward}. dy, x, y, dx, dResidual: [rows, channels];
 * g = dy masked by y > 0 when relu ≠ 0 (written to dResidual when it is not 0: the gradient of the
 * residual input); dBeta = Σ g, dGamma = Σ g·x̂, dx = γσ⁻¹·(g − dBeta/N − x̂·dGamma/N), with x̂ = (x − μ)·σ⁻¹.
 */
export function batchNormBackward(
  dy: usize,
  x: usize,
  y: usize,
  rows: i32,
  channels: i32,
  relu: i32,
  mean: usize,
  invStd: usize,
  gamma: usize,
  dx: usize,
  dGamma: usize,
  dBeta: usize,
  dResidual: usize,
  scratch: usize,
  scratchStride: i32,
  t: i32,
  threads: i32,
): void {
  const g0 = groupStart(channels, t, threads);
  const g1 = groupStart(channels, t + 1, threads);
  if (g0 >= g1) return;
  const groups = g1 - g0;
  const base = scratch + <usize>t * <usize>scratchStride;
  const sumG = base;
  const sumGx = base + <usize>(groups << 4);
  for (let g = 0; g < groups; g++) {
    v128.store(sumG + <usize>(g << 4), zero4());
    v128.store(sumGx + <usize>(g << 4), zero4());
  }
  const stride = f32s(channels);
  const zero = zero4();
  for (let r0 = 0; r0 < rows; r0 += ROWS_PER_BLOCK) {
    const r1 = min(rows, r0 + ROWS_PER_BLOCK);
    for (let g = 0; g < groups; g++) {
      const c = f32s(4 * (g0 + g));
      const mu = v128.load(mean + c);
      const inv = v128.load(invStd + c);
      let s = zero4();
      let sx = zero4();
      let off = f32s(r0 * channels) + c;
      for (let r = r0; r < r1; r++) {
        let d = v128.load(dy + off);
        if (relu) d = v128.and(d, f32x4.gt(v128.load(y + off), zero));
        if (dResidual) v128.store(dResidual + off, d);
        s = f32x4.add(s, d);
        sx = madd(d, f32x4.mul(f32x4.sub(v128.load(x + off), mu), inv), sx);
        off += stride;
      }
      const a = sumG + <usize>(g << 4);
      const b = sumGx + <usize>(g << 4);
      v128.store(a, f32x4.add(v128.load(a), s));
      v128.store(b, f32x4.add(v128.load(b), sx));
    }
  }
  const invRows = f32x4.splat(1 / <f32>rows);
  for (let g = 0; g < groups; g++) {
    const c = f32s(4 * (g0 + g));
    v128.store(dBeta + c, v128.load(sumG + <usize>(g << 4)));
    v128.store(dGamma + c, v128.load(sumGx + <usize>(g << 4)));
  }
  for (let r0 = 0; r0 < rows; r0 += ROWS_PER_BLOCK) {
    const r1 = min(rows, r0 + ROWS_PER_BLOCK);
    for (let g = 0; g < groups; g++) {
      const c = f32s(4 * (g0 + g));
      const mu = v128.load(mean + c);
      const inv = v128.load(invStd + c);
      const k = f32x4.mul(v128.load(gamma + c), inv);
      const meanG = f32x4.mul(v128.load(sumG + <usize>(g << 4)), invRows);
      const meanGx = f32x4.mul(v128.load(sumGx + <usize>(g << 4)), invRows);
      let off = f32s(r0 * channels) + c;
      for (let r = r0; r < r1; r++) {
        let d: v128;
        if (dResidual) d = v128.load(dResidual + off);
        else {
          d = v128.load(dy + off);
          if (relu) d = v128.and(d, f32x4.gt(v128.load(y + off), zero));
        }
        const xh = f32x4.mul(f32x4.sub(v128.load(x + off), mu), inv);
        v128.store(dx + off, f32x4.mul(k, f32x4.sub(f32x4.sub(d, meanG), f32x4.mul(xh, meanGx))));
        off += stride;
      }
    }
  }
}
