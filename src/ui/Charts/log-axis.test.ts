import { describe, expect, it } from 'vitest';
import { formatLogTick, LOG_FLOOR, logAxis } from './log-axis.ts';

describe('log axis for loss', () => {
  it('spans whole decades around a random-weights probe at ~150 and a run at ~2, with every value inside', () => {
    const values = [148.7, 2.3, 1.9, 0.8];
    const { domain, ticks } = logAxis(values);
    expect(domain).toEqual([0.1, 1000]);
    for (const v of values) expect(v >= domain[0] && v <= domain[1]).toBe(true);
    expect(ticks).toEqual([0.1, 1, 10, 100, 1000]);
  });

  it('adds 2 and 5 ticks when the losses stay within one or two decades, and keeps zero losses on the axis', () => {
    const { domain, ticks } = logAxis([0, 1.2, 1.9]);
    expect(domain[0]).toBeLessThanOrEqual(LOG_FLOOR);
    expect(domain[1]).toBe(10);
    expect(domain[0]).toBeGreaterThan(0);
    expect(logAxis([1.2, 1.9]).ticks).toEqual([1, 2, 5, 10]);
    expect(ticks.every((t) => t > 0)).toBe(true);
  });

  it('has a positive domain with no data, and short tick labels', () => {
    expect(logAxis([]).domain[0]).toBeGreaterThan(0);
    expect([150, 2, 0.5, 0.01, 0.0001].map(formatLogTick)).toEqual(['150', '2', '0.5', '0.01', '0.0001']);
  });
});
