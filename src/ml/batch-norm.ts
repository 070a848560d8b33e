import * as tf from '@tensorflow/tfjs';
import { channelMoments, channelSums } from './wasm-channel-sums.ts';

/** PyTorch's BatchNorm2d defaults. */
export const BN_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.1;

/** The four tensors of one BatchNorm2d layer, all [C]. The model owns them. */
export interface BatchNormVariables {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
}

/**
 * Identity forward, zero gradient: tfjs 4.22 has no public tf.stopGradient. The running-stat
 * update never reaches the loss, so the tape would prune it anyway; this makes the contract
 * explicit and stays correct if someone later feeds a buffer into the loss.
 */
const stopGradient = tf.customGrad((...inputs) => {
  const x = inputs[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * new = (1 - momentum) · old + momentum · stat, assigned into the buffer. The statistic goes
 * through stopGradient so the update can never join the gradient path, and every intermediate
 * is freed here: the buffer shares the data of `next` (assign increments its refcount), so
 * disposing `next` leaves exactly one live tensor, the buffer itself.
 */
function updateRunningStat(buffer: tf.Variable, stat: tf.Tensor): void {
  const next = tf.tidy(() => buffer.mul(1 - BN_MOMENTUM).add(stopGradient(stat).mul(BN_MOMENTUM)));
  buffer.assign(next);
  next.dispose();
}

/** Batch statistics of one training-mode forward, kept for the running-stat update. */
interface BatchStats {
  mean: tf.Tensor1D | null;
  variance: tf.Tensor1D | null;
}

/**
 * y = x̂·γ + β with x̂ = (x − μ)·σ⁻¹ over N = B·H·W, and its analytic backward:
 *   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γσ⁻¹ · (dy − dβ/N − x̂·dγ/N).
 * One tape node instead of the ~12 of the composed ops (each of which cloned what it saved), and
 * no reductions on the backward pass beyond the two sums. μ and σ² land in `stats`, kept, for the
 * running-stat update outside the tape; the caller disposes them.
 */
function trainingBatchNorm(stats: BatchStats): (x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor4D {
  return tf.customGrad((...args) => {
    const [x, gamma, beta, save] = args as unknown as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    // tf.moments' own float32 arithmetic (in two JS passes on wasm): the golden conv1 gradients are sensitive to its rounding.
    const [mean, variance] = channelMoments(x);
    const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const xHat = tf.mul(tf.sub(x, mean), invStd) as tf.Tensor4D;
    // The engine runs this forward in its own tidy: keep the statistics past it.
    stats.mean = tf.keep(mean) as tf.Tensor1D;
    stats.variance = tf.keep(variance) as tf.Tensor1D;
    save([xHat, invStd, gamma]);
    return {
      value: tf.add(tf.mul(xHat, gamma), beta) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xh, inv, g] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
        const grad = dy as tf.Tensor4D;
        const n = grad.shape[0] * grad.shape[1] * grad.shape[2];
        const [dBeta, dGamma] = channelSums(grad, xh);
        const centred = tf.sub(tf.sub(grad, tf.div(dBeta, n)), tf.mul(xh, tf.div(dGamma, n)));
        return [tf.mul(centred, tf.mul(g, inv)), dGamma, dBeta];
      },
    };
  }) as (x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor4D;
}

/**
 * BatchNorm2d over NHWC, with PyTorch semantics.
 *
 * training: normalise with the batch mean and BIASED variance over N, H, W (gradients flow
 * through both, as in PyTorch, by the analytic backward of {@link trainingBatchNorm}), and update
 * the running stats with momentum 0.1 using the UNBIASED variance (× n/(n−1)). This happens for
 * every layer in training mode, frozen layers included: `model.train()` in the seed study did the
 * same, and matching it is what makes a "frozen" backbone here behave like the seed's. The caller
 * decides by passing `training`.
 *
 * inference: normalise with the running statistics; nothing is updated.
 *
 * x: [B, H, W, C] → [B, H, W, C]. Returns a new tensor; the caller's tidy owns it.
 */
export function batchNorm2d(x: tf.Tensor4D, bn: BatchNormVariables, training: boolean): tf.Tensor4D {
  if (!training) {
    return tf.batchNorm4d(
      x,
      bn.runningMean as tf.Tensor1D,
      bn.runningVar as tf.Tensor1D,
      bn.beta as tf.Tensor1D,
      bn.gamma as tf.Tensor1D,
      BN_EPSILON,
    );
  }
  const [b, h, w] = x.shape;
  const n = b * h * w;
  if (n < 2) throw new Error(`BatchNorm in training mode needs more than 1 value per channel (got input ${x.shape.join('x')})`);
  const stats: BatchStats = { mean: null, variance: null };
  const y = trainingBatchNorm(stats)(x, bn.gamma as tf.Tensor1D, bn.beta as tf.Tensor1D);
  const { mean, variance } = stats;
  if (mean === null || variance === null) throw new Error('BatchNorm forward produced no batch statistics');
  updateRunningStat(bn.runningMean, mean);
  const unbiased = tf.tidy(() => variance.mul(n / (n - 1)));
  updateRunningStat(bn.runningVar, unbiased);
  tf.dispose([mean, variance, unbiased]);
  return y;
}
