import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '../../shared/types.ts';
import { formatMovement, movementMax, movementSeries } from './block-series.ts';

const epoch = (n: number, layer4: number | null) =>
  ({
    epoch: n,
    ...(layer4 === null ? {} : { blockMovement: { 'conv1+bn1': 0, layer1: 0, layer2: 0, layer3: 0.001, layer4, fc: 0.5 * n } }),
  }) as unknown as EpochMetrics;

describe('movementSeries', () => {
  it('starts at epoch 0 with every block at 0 and keeps only measured epochs', () => {
    const series = movementSeries([epoch(1, null), epoch(2, 0.02), epoch(3, 0.03)]);
    expect(series.map((p) => p.epoch)).toEqual([0, 2, 3]);
    expect(series[0]?.fc).toBe(0);
    expect(series[2]).toMatchObject({ layer4: 0.03, fc: 1.5 });
    expect(movementSeries([epoch(1, null)])).toEqual([]);
  });

  it('shares one maximum across runs, and formats small and large changes', () => {
    expect(movementMax([movementSeries([epoch(1, 0.2)]), movementSeries([epoch(1, 0.9), epoch(2, 0.1)])])).toBe(1);
    expect([0, 3.21e-5, 0.012345, 0.4].map(formatMovement)).toEqual(['0', '3.2e-5', '0.0123', '0.4']);
  });
});
