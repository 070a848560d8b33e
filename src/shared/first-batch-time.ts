/**
 * How long a run's first batch should take, before it starts: stored figures per backend, measured
 * on this project's reference machine (AMD EPYC, 2 cores, headless Chromium; `npm run bench:memory`
 * prints each step's time beside its memory). The first batch also builds every kernel, so it is the
 * slowest; later ones take about half to two thirds of it.
 */
import { onlyClassifierTrains, usesCachedFeatures } from './run-naming.ts';
import type { TrainConfig } from './types.ts';

/**
 * Seconds per image per input pixel of a first fine-tune step, and a fixed part (compiling kernels),
 * from `npm run bench:memory` on a quiet machine (under load, up to 3x more). WASM, 2 threads: 64 px
 * batch 16 1.5 s, 112 px batch 16 2.3 s, 224 px batch 16 7.6 s (1 s + 8.3e-6 s). WebGPU on
 * SwiftShader (a CPU-emulated GPU): 32 px batch 2 25–39 s, 64 px batch 16 231 s (35 s + 3e-3 s).
 */
const SECONDS_PER_IMAGE_PIXEL = { wasm: 8.3e-6, swiftShader: 3e-3 } as const;
const FIXED_SECONDS = { wasm: 1, swiftShader: 35 } as const;
/** Threads of the reference measurements. */
const REFERENCE_THREADS = 2;
/** A step that trains only fc still runs the backbone forward, without its backward: ~0.45 of the time. */
const HEAD_ONLY_SHARE = 0.45;

/** Where the run trains, as the backend reports it. */
export interface StepDevice {
  readonly backend: string;
  readonly isFallbackAdapter: boolean;
  /** WASM: the CPU kernels' threads. */
  readonly threads: number | null;
}

/**
 * The expected first-batch time in seconds, or null where there is no stored figure (a hardware
 * GPU, WebGL, CPU) or no backbone step (the linear probe on cached features).
 */
export function expectedFirstBatchSeconds(
  device: StepDevice,
  config: Pick<TrainConfig, 'inputSize' | 'batchSize'>,
  kind: 'backbone' | 'head-only' | 'cached-features',
): number | null {
  if (kind === 'cached-features') return null;
  const figure =
    device.backend === 'wasm'
      ? { fixed: FIXED_SECONDS.wasm, perPixel: (SECONDS_PER_IMAGE_PIXEL.wasm * REFERENCE_THREADS) / Math.max(1, device.threads ?? 1) }
      : device.backend === 'webgpu' && device.isFallbackAdapter
        ? { fixed: FIXED_SECONDS.swiftShader, perPixel: SECONDS_PER_IMAGE_PIXEL.swiftShader }
        : null;
  if (figure === null) return null;
  const share = kind === 'head-only' ? HEAD_ONLY_SHARE : 1;
  return figure.fixed + figure.perPixel * share * config.batchSize * config.inputSize * config.inputSize;
}

/** Which step a run takes: the backbone trains, only fc trains (the backbone still runs), or fc on cached features. */
export function stepKindOf(
  config: Pick<TrainConfig, 'learningRates' | 'augment' | 'exactSeedBehaviour'>,
): 'backbone' | 'head-only' | 'cached-features' {
  if (usesCachedFeatures(config)) return 'cached-features';
  return onlyClassifierTrains(config.learningRates) ? 'head-only' : 'backbone';
}
