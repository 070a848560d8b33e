/** Per-batch metrics → chart points with a running exponential moving average. */
import type { BatchMetrics } from '../shared/types.ts';
import type { BatchPoint, Run } from './types.ts';

/** Weight of the exponential moving average drawn over the noisy per-batch curves. */
export const SMOOTHING = 0.9;

/** The run with `metrics` appended as points (one array copy for all of them). */
export function appendBatches(run: Run, metrics: readonly BatchMetrics[]): Run {
  const points: BatchPoint[] = [];
  let prev = run.batches[run.batches.length - 1];
  for (const m of metrics) {
    const point: BatchPoint = {
      step: (prev?.step ?? 0) + 1,
      epoch: m.epoch,
      loss: m.loss,
      accuracy: m.accuracy,
      smoothLoss: prev ? SMOOTHING * prev.smoothLoss + (1 - SMOOTHING) * m.loss : m.loss,
      smoothAccuracy: prev ? SMOOTHING * prev.smoothAccuracy + (1 - SMOOTHING) * m.accuracy : m.accuracy,
    };
    points.push(point);
    prev = point;
  }
  const last = metrics[metrics.length - 1] ?? null;
  const status = run.status === 'starting' ? 'running' : run.status;
  return {
    ...run,
    status,
    batches: [...run.batches, ...points],
    lastBatch: last,
    batchesPerEpoch: last?.batchesPerEpoch ?? run.batchesPerEpoch,
  };
}
