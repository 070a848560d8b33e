/** Chart points for a run, x in epochs: batches at step / batchesPerEpoch, epochs at their number. */
import type { Run } from '../../state/types.ts';

/** Which metric a chart draws. */
export type Metric = 'loss' | 'accuracy';

/** A point on a metric chart: x in epochs. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number;
}

/** At most this many per-batch points are drawn per run; the rest are thinned evenly. */
export const MAX_BATCH_POINTS = 400;

/** The smoothed per-batch training curve, thinned to MAX_BATCH_POINTS (the newest point always kept). */
export function batchSeries(run: Run, metric: Metric): ChartPoint[] {
  const { batches, batchesPerEpoch } = run;
  if (batches.length === 0 || batchesPerEpoch === 0) return [];
  const stride = Math.ceil(batches.length / MAX_BATCH_POINTS);
  const out: ChartPoint[] = [];
  for (let i = 0; i < batches.length; i++) {
    if (i % stride !== 0 && i !== batches.length - 1) continue;
    const b = batches[i];
    if (b) out.push({ x: b.step / batchesPerEpoch, y: metric === 'loss' ? b.smoothLoss : b.smoothAccuracy });
  }
  return out;
}

/** Per-epoch training and validation values. */
export function epochSeries(run: Run, metric: Metric, split: 'train' | 'validation'): ChartPoint[] {
  return run.epochs.map((e) => ({
    x: e.epoch,
    y:
      split === 'train' ? (metric === 'loss' ? e.trainLoss : e.trainAccuracy) : metric === 'loss' ? e.validationLoss : e.validationAccuracy,
  }));
}
