// Micro-kernels of the convolution products: registers only, one output tile, no loops over the
// problem. A tile is 2 (or 1) output pixels x 16 output channels, 8 (or 4) accumulators of 4 lanes:
// more than 8 makes V8 spill registers (measured: 6x8, 4x12 and 3x16 fall to 21-31 GFLOP/s).
import { madd, zero4 } from './simd';

/**
 * c0[0:16] (+)= Σ_k a0[k]·b[k][0:16] and c1[0:16] (+)= Σ_k a1[k]·b[k][0:16], over k < kc.
 * a0, a1: two runs of kc floats; b: a packed panel, kc rows of 16 floats, contiguous.
 * With `accumulate` the tile adds to what c0 and c1 hold, otherwise it overwrites them.
 */
export function micro2x16(a0: usize, a1: usize, b: usize, kc: i32, c0: usize, c1: usize, accumulate: bool): void {
  let s00 = zero4(),
    s01 = zero4(),
    s02 = zero4(),
    s03 = zero4();
  let s10 = zero4(),
    s11 = zero4(),
    s12 = zero4(),
    s13 = zero4();
  for (let k = 0; k < kc; k++) {
    const x0 = v128.load32_splat(a0);
    const x1 = v128.load32_splat(a1);
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const b2 = v128.load(b, 32);
    const b3 = v128.load(b, 48);
    s00 = madd(x0, b0, s00);
    s01 = madd(x0, b1, s01);
    s02 = madd(x0, b2, s02);
    s03 = madd(x0, b3, s03);
    s10 = madd(x1, b0, s10);
    s11 = madd(x1, b1, s11);
    s12 = madd(x1, b2, s12);
    s13 = madd(x1, b3, s13);
    a0 += 4;
    a1 += 4;
    b += 64;
  }
  if (accumulate) {
    s00 = f32x4.add(s00, v128.load(c0));
    s01 = f32x4.add(s01, v128.load(c0, 16));
    s02 = f32x4.add(s02, v128.load(c0, 32));
    s03 = f32x4.add(s03, v128.load(c0, 48));
    s10 = f32x4.add(s10, v128.load(c1));
    s11 = f32x4.add(s11, v128.load(c1, 16));
    s12 = f32x4.add(s12, v128.load(c1, 32));
    s13 = f32x4.add(s13, v128.load(c1, 48));
  }
  v128.store(c0, s00);
  v128.store(c0, s01, 16);
  v128.store(c0, s02, 32);
  v128.store(c0, s03, 48);
  v128.store(c1, s10);
  v128.store(c1, s11, 16);
  v128.store(c1, s12, 32);
  v128.store(c1, s13, 48);
}

/** {@link micro2x16} for a single pixel. */
export function micro1x16(a0: usize, b: usize, kc: i32, c0: usize, accumulate: bool): void {
  let s00 = zero4(),
    s01 = zero4(),
    s02 = zero4(),
    s03 = zero4();
  for (let k = 0; k < kc; k++) {
    const x0 = v128.load32_splat(a0);
    s00 = madd(x0, v128.load(b), s00);
    s01 = madd(x0, v128.load(b, 16), s01);
    s02 = madd(x0, v128.load(b, 32), s02);
    s03 = madd(x0, v128.load(b, 48), s03);
    a0 += 4;
    b += 64;
  }
  if (accumulate) {
    s00 = f32x4.add(s00, v128.load(c0));
    s01 = f32x4.add(s01, v128.load(c0, 16));
    s02 = f32x4.add(s02, v128.load(c0, 32));
    s03 = f32x4.add(s03, v128.load(c0, 48));
  }
  v128.store(c0, s00);
  v128.store(c0, s01, 16);
  v128.store(c0, s02, 32);
  v128.store(c0, s03, 48);
}

/**
 * Filter-gradient tile: c0[0:16] (+)= Σ_p a[p][0]·b[p][0:16] and c1[0:16] (+)= Σ_p a[p][1]·b[p][0:16]
 * over `count` pixels. a: a packed pair of input values per pixel (2 floats each, contiguous);
 * b: a packed panel of 16 output-channel gradients per pixel (16 floats each, contiguous). c0 and
 * c1 are two filter rows. Without `accumulate` the tile overwrites them.
 */
export function microFilter2x16(a: usize, b: usize, count: i32, c0: usize, c1: usize, accumulate: bool): void {
  let s00 = zero4(),
    s01 = zero4(),
    s02 = zero4(),
    s03 = zero4();
  let s10 = zero4(),
    s11 = zero4(),
    s12 = zero4(),
    s13 = zero4();
  for (let p = 0; p < count; p++) {
    const x0 = v128.load32_splat(a);
    const x1 = v128.load32_splat(a, 4);
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const b2 = v128.load(b, 32);
    const b3 = v128.load(b, 48);
    s00 = madd(x0, b0, s00);
    s01 = madd(x0, b1, s01);
    s02 = madd(x0, b2, s02);
    s03 = madd(x0, b3, s03);
    s10 = madd(x1, b0, s10);
    s11 = madd(x1, b1, s11);
    s12 = madd(x1, b2, s12);
    s13 = madd(x1, b3, s13);
    a += 8;
    b += 64;
  }
  if (accumulate) {
    s00 = f32x4.add(s00, v128.load(c0));
    s01 = f32x4.add(s01, v128.load(c0, 16));
    s02 = f32x4.add(s02, v128.load(c0, 32));
    s03 = f32x4.add(s03, v128.load(c0, 48));
    s10 = f32x4.add(s10, v128.load(c1));
    s11 = f32x4.add(s11, v128.load(c1, 16));
    s12 = f32x4.add(s12, v128.load(c1, 32));
    s13 = f32x4.add(s13, v128.load(c1, 48));
  }
  v128.store(c0, s00);
  v128.store(c0, s01, 16);
  v128.store(c0, s02, 32);
  v128.store(c0, s03, 48);
  v128.store(c1, s10);
  v128.store(c1, s11, 16);
  v128.store(c1, s12, 32);
  v128.store(c1, s13, 48);
}
