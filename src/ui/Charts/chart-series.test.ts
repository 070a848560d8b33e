import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../../state/config-defaults.ts';
import { newRun } from '../../state/slices/runs-slice.ts';
import type { BatchPoint } from '../../state/types.ts';
import { batchSeries, MAX_BATCH_POINTS } from './chart-series.ts';

const points = (n: number): BatchPoint[] =>
  Array.from({ length: n }, (_, i) => ({ step: i + 1, epoch: 1, loss: i, accuracy: 0, smoothLoss: i, smoothAccuracy: 0 }));

describe('chart series', () => {
  it('places batches in epochs and thins long runs, always keeping the newest point', () => {
    const run = { ...newRun('r', 1, DEFAULT_TRAIN_CONFIG, 0), batchesPerEpoch: 100, batches: points(1001) };
    const series = batchSeries(run, 'loss');
    expect(series.length).toBeLessThanOrEqual(MAX_BATCH_POINTS + 1);
    expect(series[0]).toEqual({ x: 0.01, y: 0 });
    expect(series.at(-1)).toEqual({ x: 10.01, y: 1000 });
  });
});
