/**
 * BatchNorm2d in training mode on the CPU kernels (assembly/batch-norm.ts), fused with the ReLU and
 * the residual add of a bottleneck. Pointers into the engine's memory; float32; channels % 4 == 0.
 */
import type { CpuEngine } from '../engine.ts';

/** Channels the fused kernels take: a multiple of 4, at most 2048 (their per-thread scratch). */
export function fusedBatchNormSupports(channels: number): boolean {
  return channels % 4 === 0 && channels > 0 && channels <= 2048;
}

/** Pointers of one training-mode forward. `residual` 0 = none. Outputs: y, mean, invStd, newRunMean, newRunVar. */
export interface BatchNormForwardPointers {
  readonly x: number;
  readonly gamma: number;
  readonly beta: number;
  readonly residual: number;
  readonly runMean: number;
  readonly runVar: number;
  readonly y: number;
  readonly mean: number;
  readonly invStd: number;
  readonly newRunMean: number;
  readonly newRunVar: number;
}

/** y = relu?((x − μ)·σ⁻¹·γ + β + residual?) over [rows, channels], with the running statistics' update. */
export function batchNormForward(
  engine: CpuEngine,
  rows: number,
  channels: number,
  relu: boolean,
  eps: number,
  momentum: number,
  p: BatchNormForwardPointers,
): void {
  // prettier-ignore
  engine.run('batchNormForward', [
    p.x, rows, channels, p.gamma, p.beta, p.residual, relu ? 1 : 0, eps, momentum, p.runMean, p.runVar,
    p.y, p.mean, p.invStd, p.newRunMean, p.newRunVar, engine.scratch, engine.scratchStride,
  ]);
}

/** Pointers of one backward. `y` is read only with relu; `dResidual` 0 = no residual input. */
export interface BatchNormBackwardPointers {
  readonly dy: number;
  readonly x: number;
  readonly y: number;
  readonly mean: number;
  readonly invStd: number;
  readonly gamma: number;
  readonly dx: number;
  readonly dGamma: number;
  readonly dBeta: number;
  readonly dResidual: number;
}

/** The backward of {@link batchNormForward}: dx, dγ, dβ, and the residual's gradient (dy masked by the ReLU). */
export function batchNormBackward(engine: CpuEngine, rows: number, channels: number, relu: boolean, p: BatchNormBackwardPointers): void {
  // prettier-ignore
  engine.run('batchNormBackward', [
    p.dy, p.x, p.y, rows, channels, relu ? 1 : 0, p.mean, p.invStd, p.gamma,
    p.dx, p.dGamma, p.dBeta, p.dResidual, engine.scratch, engine.scratchStride,
  ]);
}
