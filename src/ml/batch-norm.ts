import * as tf from '@tensorflow/tfjs';
import { activeCpuEngine } from './cpu/active-engine.ts';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, type BatchNormTrainAttrs } from './cpu/kernels/batch-norm.ts';
import { fusedBatchNormSupports } from './cpu/ops/batch-norm.ts';
import { channelSums } from './webgpu/channel-sums.ts';

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
    // Per-channel sums: one kernel each on WebGPU (no transpose), tf.sum elsewhere. The variance
    // stays on tf.sum: summed by channelSums(centred, centred), which agrees with tf.sum to 1e-7 on
    // its own, the WebGPU golden check's conv1 gradient drifted to 3.6e-3 of PyTorch's (6.5e-6 as
    // it is). The same 3.6e-3 appeared when the WASM moments were summed in float64: that gradient
    // is sensitive to the variance's rounding, so a more exact variance moves it away from
    // PyTorch's float32 one (tests/e2e/golden.test.ts shows it).
    const count = x.shape[0] * x.shape[1] * x.shape[2];
    const mean = tf.div(channelSums(x), count) as tf.Tensor1D;
    const centred = tf.sub(x, mean);
    const variance = tf.div(tf.sum(tf.mul(centred, centred), [0, 1, 2]), count) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const xHat = tf.mul(centred, invStd) as tf.Tensor4D;
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
        const dBeta = channelSums(grad);
        const dGamma = channelSums(grad, xh);
        const centred = tf.sub(tf.sub(grad, tf.div(dBeta, n)), tf.mul(xh, tf.div(dGamma, n)));
        return [tf.mul(centred, tf.mul(g, inv)), dGamma, dBeta];
      },
    };
  }) as (x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor4D;
}

/** What follows a BatchNorm in a bottleneck, fused into it where the CPU kernels run. */
export interface BatchNormOptions {
  /** Apply a ReLU after (the residual add, if any). */
  readonly relu?: boolean;
  /** Add this tensor (the shortcut) before the ReLU. */
  readonly residual?: tf.Tensor4D;
}

/**
 * Training-mode BatchNorm on the CPU kernels, fused with the residual add and ReLU after it: one
 * kernel forward, one backward, two tape-free passes each (ml/cpu/assembly/batch-norm.ts). Saves x
 * and y (already alive as this layer's input and the next layer's) and the [C] statistics instead
 * of a normalised copy. Returns y; the running statistics are updated here.
 */
function fusedTrainingBatchNorm(x: tf.Tensor4D, bn: BatchNormVariables, relu: boolean, residual: tf.Tensor4D | undefined): tf.Tensor4D {
  const attrs: BatchNormTrainAttrs = { relu, epsilon: BN_EPSILON, momentum: BN_MOMENTUM, residual: residual !== undefined };
  const running: tf.Tensor[] = [];
  const forward = (...args: unknown[]) => {
    const [input, gamma, beta] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const inputs: tf.NamedTensorMap = { x: input, gamma, beta, runningMean: bn.runningMean, runningVar: bn.runningVar };
    if (residual) inputs.residual = args[3] as tf.Tensor4D;
    const [y, mean, invStd, newMean, newVar] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAIN, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    // The engine runs this forward in its own tidy: keep the running statistics past it.
    running.push(tf.keep(newMean as tf.Tensor), tf.keep(newVar as tf.Tensor));
    save([input, y as tf.Tensor, mean as tf.Tensor, invStd as tf.Tensor, gamma]);
    return {
      value: y as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ys, m, inv, g] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const gradInputs = { dy: dy as tf.Tensor, x: xs, y: ys, mean: m, invStd: inv, gamma: g };
        return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, gradInputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      },
    };
  };
  const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
  const y = (residual ? op(x, bn.gamma, bn.beta, residual) : op(x, bn.gamma, bn.beta)) as tf.Tensor4D;
  const [newMean, newVar] = running as [tf.Tensor, tf.Tensor];
  bn.runningMean.assign(newMean);
  bn.runningVar.assign(newVar);
  tf.dispose(running);
  return y;
}

/** True when training-mode BatchNorm over `channels` runs fused on the CPU kernels. */
function fusedAvailable(channels: number): boolean {
  return tf.getBackend() === 'wasm' && activeCpuEngine() !== null && fusedBatchNormSupports(channels);
}

/**
 * BatchNorm2d over NHWC, with PyTorch semantics, then `options.residual` added and a ReLU applied
 * when asked (fused into one kernel on the CPU kernels, composed of tf ops elsewhere).
 *
 * training: normalise with the batch mean and BIASED variance over N, H, W (gradients flow
 * through both, as in PyTorch), and update the running stats with momentum 0.1 using the UNBIASED
 * variance (× n/(n−1)). This happens for every layer in training mode, frozen layers included:
 * `model.train()` in the seed study did the same, and matching it is what makes a "frozen" backbone
 * here behave like the seed's. The caller decides by passing `training`.
 *
 * inference: normalise with the running statistics; nothing is updated.
 *
 * x: [B, H, W, C] → [B, H, W, C]. Returns a new tensor; the caller's tidy owns it.
 */
export function batchNorm2d(x: tf.Tensor4D, bn: BatchNormVariables, training: boolean, options: BatchNormOptions = {}): tf.Tensor4D {
  const { relu = false, residual } = options;
  if (training) {
    const [b, h, w, c] = x.shape;
    if (b * h * w < 2) throw new Error(`BatchNorm in training mode needs more than 1 value per channel (got input ${x.shape.join('x')})`);
    if (fusedAvailable(c)) return fusedTrainingBatchNorm(x, bn, relu, residual);
  }
  let y = training ? composedTrainingBatchNorm(x, bn) : inferenceBatchNorm(x, bn);
  if (residual) y = tf.add(y, residual);
  return relu ? tf.relu(y) : y;
}

function inferenceBatchNorm(x: tf.Tensor4D, bn: BatchNormVariables): tf.Tensor4D {
  return tf.batchNorm4d(
    x,
    bn.runningMean as tf.Tensor1D,
    bn.runningVar as tf.Tensor1D,
    bn.beta as tf.Tensor1D,
    bn.gamma as tf.Tensor1D,
    BN_EPSILON,
  );
}

/** Training-mode BatchNorm of tf ops ({@link trainingBatchNorm}), with the running-stat update. */
function composedTrainingBatchNorm(x: tf.Tensor4D, bn: BatchNormVariables): tf.Tensor4D {
  const [b, h, w] = x.shape;
  const n = b * h * w;
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
