import type * as tf from '@tensorflow/tfjs';
import { batchNormBackward, batchNormForward } from '../ops/batch-norm.ts';
import { heapAddress } from '../tfjs-wasm-heap.ts';
import { makeOutput, requireCpuEngine } from './common.ts';
import { addWasmKernel } from './replace-kernel.ts';

/** Training-mode BatchNorm, fused with the ReLU and residual add after it (ml/batch-norm.ts calls it). */
export const BATCH_NORM_TRAIN = 'ExpressionLabBatchNormTrain';
/** Its backward. */
export const BATCH_NORM_TRAIN_GRAD = 'ExpressionLabBatchNormTrainGrad';

/** Attributes of both kernels. */
export interface BatchNormTrainAttrs {
  readonly relu: boolean;
  readonly epsilon: number;
  readonly momentum: number;
  /** The forward added a residual input: the backward also returns its gradient. */
  readonly residual: boolean;
  [key: string]: boolean | number;
}

/**
 * Registers the two fused BatchNorm kernels on wasm.
 * Forward: inputs x [N, H, W, C], gamma, beta, runningMean, runningVar [C] (and residual, like x) →
 * [y, mean, invStd, newRunningMean, newRunningVar].
 * Backward: inputs dy, x, y, mean, invStd, gamma → [dx, dGamma, dBeta] (+ dResidual when
 * attrs.residual).
 */
export function registerCpuBatchNorm(): void {
  addWasmKernel(BATCH_NORM_TRAIN, ({ inputs, backend, attrs }) => {
    const engine = requireCpuEngine(BATCH_NORM_TRAIN);
    const { x, gamma, beta, runningMean, runningVar, residual } = inputs as Record<string, tf.TensorInfo | undefined> &
      Record<'x' | 'gamma' | 'beta' | 'runningMean' | 'runningVar', tf.TensorInfo>;
    const a = attrs as unknown as BatchNormTrainAttrs;
    const channels = x.shape[x.shape.length - 1] ?? 0;
    const rows = x.shape.reduce((p, d) => p * d, 1) / channels;
    const c = [channels];
    const [y, mean, invStd, newRunMean, newRunVar] = [
      makeOutput(backend, [...x.shape]),
      makeOutput(backend, c),
      makeOutput(backend, c),
      makeOutput(backend, c),
      makeOutput(backend, c),
    ] as const;
    const at = (t: tf.TensorInfo | undefined): number => (t ? heapAddress(backend, t) : 0);
    batchNormForward(engine, rows, channels, a.relu, a.epsilon, a.momentum, {
      x: at(x),
      gamma: at(gamma),
      beta: at(beta),
      residual: at(residual),
      runMean: at(runningMean),
      runVar: at(runningVar),
      y: at(y),
      mean: at(mean),
      invStd: at(invStd),
      newRunMean: at(newRunMean),
      newRunVar: at(newRunVar),
    });
    return [y, mean, invStd, newRunMean, newRunVar];
  });

  addWasmKernel(BATCH_NORM_TRAIN_GRAD, ({ inputs, backend, attrs }) => {
    const engine = requireCpuEngine(BATCH_NORM_TRAIN_GRAD);
    const { dy, x, y, mean, invStd, gamma } = inputs as Record<'dy' | 'x' | 'y' | 'mean' | 'invStd' | 'gamma', tf.TensorInfo>;
    const a = attrs as unknown as BatchNormTrainAttrs;
    const channels = x.shape[x.shape.length - 1] ?? 0;
    const rows = x.shape.reduce((p, d) => p * d, 1) / channels;
    const dx = makeOutput(backend, [...x.shape]);
    const dGamma = makeOutput(backend, [channels]);
    const dBeta = makeOutput(backend, [channels]);
    const dResidual = a.residual ? makeOutput(backend, [...x.shape]) : null;
    const at = (t: tf.TensorInfo | null | undefined): number => (t ? heapAddress(backend, t) : 0);
    batchNormBackward(engine, rows, channels, a.relu, {
      dy: at(dy),
      x: at(x),
      y: at(y),
      mean: at(mean),
      invStd: at(invStd),
      gamma: at(gamma),
      dx: at(dx),
      dGamma: at(dGamma),
      dBeta: at(dBeta),
      dResidual: at(dResidual),
    });
    return dResidual ? [dx, dGamma, dBeta, dResidual] : [dx, dGamma, dBeta];
  });
}
