import { describe, expect, it } from 'vitest';
import { heatmapOverlay, normalizedMap } from './heatmap.ts';

describe('heatmapOverlay', () => {
  const gray = { width: 2, height: 1, channels: 1 as const, pixels: Uint8Array.of(100, 200) };

  it('shows the image alone at opacity 0 and the colour map alone at opacity 1', () => {
    expect(Array.from(heatmapOverlay(gray, [0, 3], 0))).toEqual([100, 100, 100, 255, 200, 200, 200, 255]);
    const full = heatmapOverlay(gray, [0, 3], 1);
    // Turbo's ends: dark blue-violet at 0, dark red at 1.
    expect(Array.from(full.slice(0, 3))).toEqual([35, 23, 27]);
    expect(Array.from(full.slice(4, 7))).toEqual([144, 12, 0]);
  });

  it('scales by the map maximum and blends linearly', () => {
    const half = heatmapOverlay(gray, [0, 0.5], 0.5);
    expect(half[4]).toBe(Math.round(0.5 * 200 + 0.5 * 144));
    expect(Array.from(normalizedMap([0, 2, 4]))).toEqual([0, 0.5, 1]);
    expect(Array.from(normalizedMap([0, 0]))).toEqual([0, 0]);
  });

  it('refuses a map of another size', () => {
    expect(() => heatmapOverlay(gray, [1, 2, 3], 0.5)).toThrow(/3 values for a 2×1 image/);
  });
});
