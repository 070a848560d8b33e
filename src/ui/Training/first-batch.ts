/** What the Training panel says while a run waits for its first batch, and its estimate. */
import type { BackendName } from '../../shared/types.ts';
import type { Run } from '../../state/types.ts';
import { formatDuration } from '../common/format.ts';

/**
 * Seconds per batch of the newest other run in the session with the same input size and batch
 * size that has reported a batch, or null: the best guess for this run's later batches.
 */
export function knownSecondsPerBatch(run: Run, others: readonly Run[]): number | null {
  const same = others.filter(
    (o) => o.id !== run.id && o.lastBatch && o.lastBatch.imagesPerSecond > 0 && o.config.inputSize === run.config.inputSize,
  );
  const best = same.findLast((o) => o.config.batchSize === run.config.batchSize) ?? same.at(-1);
  if (!best?.lastBatch) return null;
  return run.config.batchSize / best.lastBatch.imagesPerSecond;
}

/** Label and detail of the first-batch progress line. */
export function firstBatchText(
  run: Run,
  backend: BackendName | null,
  elapsedMs: number,
  secondsPerBatch: number | null,
  expectedSeconds: number | null = null,
): { label: string; detail: string } {
  const { inputSize, batchSize } = run.config;
  const where = backend ? `on ${backend.toUpperCase()}` : 'on this backend';
  const label =
    run.status === 'starting'
      ? 'Preparing: building the model and the first batch…'
      : `First batch ${where}: compiling kernels and running ResNet50 forward and backward once (${batchSize} images at ${inputSize} px)…`;
  const slow =
    expectedSeconds !== null
      ? ` Expected: about ${formatDuration(expectedSeconds * 1000)} for this first batch ${where} (a figure stored for this backend); later ones are faster.`
      : backend === 'wasm'
        ? ' On WASM this first batch can take a few minutes; later ones are much faster.'
        : '';
  const estimate =
    secondsPerBatch !== null
      ? ` Later batches should take about ${secondsPerBatch.toFixed(1)} s each (as in an earlier run here): about ${formatDuration(
          secondsPerBatch * 1000 * run.config.epochs * Math.max(1, run.batchesPerEpoch),
        )} for the whole run.`
      : ' An estimate of the time left appears once it ends.';
  return { label, detail: `${formatDuration(elapsedMs)} so far.${slow}${estimate}` };
}
