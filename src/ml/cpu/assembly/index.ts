// The CPU kernels' module: every export is one kernel, called on each thread with its index and the
// thread count as the last two arguments. The module imports its memory (the tfjs-wasm heap, or a
// test's own) and holds no data of its own: it must never write outside the pointers it is given.
import { BATCH_NORM_SCRATCH_BYTES } from './batch-norm';
import { GEMM_SCRATCH_BYTES } from './conv-gemm';
import { FILTER_SCRATCH_BYTES } from './conv-filter';

export { batchNormBackward, batchNormForward } from './batch-norm';
export { convGemm } from './conv-gemm';
export { convFilterGrad } from './conv-filter';
export { padCopy } from './layout';
export { globalAvgPool, globalAvgPoolGrad, maxPool, maxPoolGrad } from './pool';
export { sgdMomentum } from './sgd';

/** Bytes of scratch each thread needs, for any kernel. */
export function scratchBytesPerThread(): i32 {
  return max(GEMM_SCRATCH_BYTES, max(FILTER_SCRATCH_BYTES, BATCH_NORM_SCRATCH_BYTES));
}

/** 1 when this build fuses multiply-adds (relaxed SIMD), else 0. */
export function fusedMultiplyAdd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
