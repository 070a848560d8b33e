import { describe, expect, it } from 'vitest';
import { createDemoDataset, DEMO_COUNTS } from './demo-dataset.ts';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';

const meanOf = (pixels: Uint8Array, x0: number, y0: number, x1: number, y1: number): number => {
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += pixels[y * 48 + x] ?? 0;
  return sum / ((x1 - x0) * (y1 - y0));
};

describe('demo dataset', () => {
  it('has the 7 FER2013 classes in FER2013 order and the documented counts', () => {
    const dataset = createDemoDataset(1);
    expect(dataset.classes).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
    expect(dataset.summary.counts).toEqual({
      train: Array(7).fill(DEMO_COUNTS.train),
      validation: Array(7).fill(DEMO_COUNTS.validation),
      test: Array(7).fill(DEMO_COUNTS.test),
    });
    expect(DEMO_COUNTS).toEqual({ train: 40, validation: 10, test: 10 });
    expect(dataset.summary.format).toBe('demo');
    expect(dataset.summary.sizes).toEqual({ '48x48': 420 });
    expect(dataset.summary.samples).toHaveLength(28);
  });

  it('is deterministic: same seed, identical bytes; another seed, other bytes', () => {
    const bytes = (seed: number) =>
      createDemoDataset(seed)
        .splits.train.map((image) => Array.from(image.pixels).join(','))
        .join(';');
    expect(bytes(5)).toBe(bytes(5));
    expect(bytes(5)).not.toBe(bytes(6));
  });

  it('draws faces whose mouths differ by expression: surprise open, neutral closed', () => {
    const dataset = createDemoDataset(3);
    const mouthDarkness = (classIndex: number) => {
      const images = dataset.splits.train.filter((image) => image.classIndex === classIndex);
      return images.reduce((sum, image) => sum + meanOf(image.pixels, 20, 31, 28, 39), 0) / images.length;
    };
    expect(mouthDarkness(5)).toBeLessThan(mouthDarkness(6) - 20);
    const first = dataset.splits.train[0]?.pixels ?? new Uint8Array();
    expect(meanOf(first, 16, 20, 32, 30)).toBeGreaterThan(meanOf(first, 0, 0, 4, 4));
  });

  it('is what importDataset returns for the demo source, seeded by options.seed', async () => {
    const dataset = await importDataset({ kind: 'demo' }, { seed: 5 }, { decode: headerDecoder });
    expect(dataset.splits.test[3]?.pixels).toEqual(createDemoDataset(5).splits.test[3]?.pixels);
  });
});
