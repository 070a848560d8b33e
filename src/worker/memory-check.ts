/**
 * The memory check of `train/start`: a run whose estimated peak does not fit the backend is refused
 * before any tensor is built, with a message naming the estimate, the limit, and the largest batch
 * and input size that would fit (the page turns `refusal` into an "apply" button).
 */
import type { Dataset } from '../data/dataset.ts';
import { checkRunMemory, MEMORY_HEADROOM, type MemoryFit, type MemoryLimit, type RunShape } from '../ml/memory-estimate.ts';
import { activeMemoryLimit } from '../ml/memory-limit.ts';
import { formatBytes } from '../shared/format.ts';
import { REGIMES } from '../shared/regimes.ts';
import { usesCachedFeatures } from '../shared/run-naming.ts';
import type { MemoryRefusal, TrainConfig } from '../shared/types.ts';

/** A run refused for memory; the handler posts `refusal` with the error event. */
export class RunMemoryError extends Error {
  constructor(
    message: string,
    readonly refusal: MemoryRefusal,
  ) {
    super(message);
    this.name = 'RunMemoryError';
  }
}

/** What the estimate needs of a run. */
export function runShapeOf(config: TrainConfig, dataset: Pick<Dataset, 'classes' | 'splits'>, backend: RunShape['backend']): RunShape {
  return {
    backend,
    inputSize: config.inputSize,
    batchSize: config.batchSize,
    learningRates: config.learningRates,
    cachedFeatures: usesCachedFeatures(config),
    numClasses: dataset.classes.length,
    cachedImages: dataset.splits.train.length + dataset.splits.validation.length,
  };
}

/** The refusal's words: what the run needs, what the backend has, what would fit. */
export function memoryRefusalMessage(config: TrainConfig, fit: MemoryFit, limit: MemoryLimit): string {
  const what = `${REGIMES[config.regime].label}, ${config.inputSize} px, batch ${config.batchSize}`;
  const need =
    limit.backend === 'wasm'
      ? `Not started: this run (${what}) needs about ${formatBytes(fit.estimate.peakBytes)} of memory at its peak, more than WASM has for it: ` +
        `${formatBytes(fit.availableBytes)} (its heap ends at ${formatBytes(limit.limitBytes)}, ${formatBytes(limit.heldBytes)} is held already, ` +
        `and ${Math.round((1 - MEMORY_HEADROOM) * 100)}% is kept in reserve).`
      : `Not started: this run (${what}) would put ${formatBytes(fit.estimate.largestTensorBytes)} of activations in one buffer, more than a WebGPU ` +
        `buffer can hold here (${formatBytes(fit.availableBytes)}: the adapter's maxBufferSize and maxStorageBufferBindingSize; ` +
        `${formatBytes(limit.heldBytes)} is allocated on the device already). Its whole peak is about ${formatBytes(fit.estimate.peakBytes)}.`;
  const batch =
    fit.largestBatch > 0
      ? ` The largest batch that fits at ${config.inputSize} px is ${fit.largestBatch}`
      : ` Not even one image fits at ${config.inputSize} px`;
  const size =
    fit.largestSize !== null
      ? `; at batch ${config.batchSize} the largest input size that fits is ${fit.largestSize} px.`
      : `; no input size fits at batch ${config.batchSize}.`;
  return need + batch + size;
}

/** Throws a {@link RunMemoryError} when `config` would not fit the active backend (nothing is checked on WebGL or CPU). */
export function assertRunFits(config: TrainConfig, dataset: Pick<Dataset, 'classes' | 'splits'>, limit = activeMemoryLimit()): void {
  if (!limit) return;
  const fit = checkRunMemory(runShapeOf(config, dataset, limit.backend), limit);
  if (fit.fits || fit.reason === null) return;
  throw new RunMemoryError(memoryRefusalMessage(config, fit, limit), {
    backend: limit.backend,
    estimateBytes: fit.reason === 'binding' ? fit.estimate.largestTensorBytes : fit.estimate.peakBytes,
    limitBytes: limit.limitBytes,
    availableBytes: fit.availableBytes,
    heldBytes: limit.heldBytes,
    reason: fit.reason,
    largestBatch: fit.largestBatch,
    largestSize: fit.largestSize,
  });
}
