import * as tf from '@tensorflow/tfjs';

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

/**
 * BatchNorm2d over NHWC, with PyTorch semantics.
 *
 * training: normalise with the batch mean and BIASED variance over N, H, W (gradients flow
 * through both, as in PyTorch), and update the running stats with momentum 0.1 using the
 * UNBIASED variance (× n/(n−1)). This happens for every layer in training mode, frozen layers
 * included: `model.train()` in the seed study did the same, and matching it is what makes a
 * "frozen" backbone here behave like the seed's. The caller decides by passing `training`.
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
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const y = tf.tidy(() =>
    x
      .sub(mean)
      .mul(tf.rsqrt(variance.add(BN_EPSILON)))
      .mul(bn.gamma)
      .add(bn.beta),
  );
  updateRunningStat(bn.runningMean, mean);
  const unbiased = tf.tidy(() => variance.mul(n / (n - 1)));
  updateRunningStat(bn.runningVar, unbiased);
  tf.dispose([mean, variance, unbiased]);
  return y as tf.Tensor4D;
}
