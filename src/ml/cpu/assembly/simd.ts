// Small SIMD helpers shared by the kernels. Compiled twice: with relaxed SIMD (one fused
// multiply-add) and without (a multiply, then an add); ASC_FEATURE_RELAXED_SIMD picks at compile time.

/** c + a·b on four lanes: fused where the build enables relaxed SIMD. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Four zero lanes. */
// @ts-ignore: decorator
@inline export function zero4(): v128 {
  return f32x4.splat(0);
}

/** Floats → bytes, as a pointer offset. */
// @ts-ignore: decorator
@inline export function f32s(count: i32): usize {
  return <usize>count << 2;
}

/** The [start, end) share of `total` items for thread `t` of `threads`: contiguous, in order. */
// @ts-ignore: decorator
@inline export function shareStart(total: i32, t: i32, threads: i32): i32 {
  return <i32>((<i64>total * t) / threads);
}
