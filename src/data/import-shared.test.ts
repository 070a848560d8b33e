import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetPath, missingDataset, type DatasetFile } from '../../tests/datasets.ts';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import type { Dataset } from './dataset.ts';

const load = (file: DatasetFile): ArrayBuffer => readFileSync(datasetPath(file)).buffer as ArrayBuffer;

/** Registers a test on a real dataset file, or reports it skipped (with the reason) where the file is absent. */
function withData(file: DatasetFile, name: string, body: () => Promise<void>): void {
  const missing = missingDataset(file);
  if (missing) {
    console.warn(`SKIPPED "${name}": ${missing}`);
    it.skip(`${name} [SKIPPED: ${missing}]`, body);
  } else it(name, body);
}
const FOLDER_ORDER = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'];

function perClassTotal(dataset: Dataset, splits: ('train' | 'validation' | 'test')[]): number[] {
  return dataset.classes.map((_, c) => splits.reduce((sum, s) => sum + (dataset.summary.counts[s][c] ?? 0), 0));
}

describe('the real FER2013 files (EXPRESSION_LAB_DATASETS)', () => {
  withData('fer2013-mini.zip', 'imports fer2013-mini.zip: 7 classes, 60 train+validation and 15 test each', async () => {
    const dataset = await importDataset(
      { kind: 'archive', name: 'fer2013-mini.zip', data: load('fer2013-mini.zip') },
      { seed: 1 },
      { decode: headerDecoder },
    );
    expect(dataset.classes).toEqual(FOLDER_ORDER);
    expect(dataset.summary.format).toBe('zip');
    expect(perClassTotal(dataset, ['train', 'validation'])).toEqual(Array(7).fill(60));
    expect(dataset.summary.counts.validation).toEqual(Array(7).fill(6));
    expect(dataset.summary.counts.test).toEqual(Array(7).fill(15));
    expect(dataset.summary.validationFromTrain).toBe(true);
    expect(dataset.summary.skipped).toEqual([]);
    expect(dataset.summary.sizes).toEqual({ '48x48': 525 });
    expect(dataset.summary.bytesHeld).toBe(525 * 48 * 48);
    expect(dataset.summary.samples).toHaveLength(28);
    expect(dataset.splits.train[0]?.channels).toBe(1);
    const sample = dataset.summary.samples[0];
    const stored = dataset.splits.train.find((image) => image.path === sample?.path);
    expect(sample?.pixels).toEqual(stored?.pixels);
    expect(sample?.pixels.buffer).not.toBe(stored?.pixels.buffer);
  });

  withData('fer2013-mini.csv', 'imports fer2013-mini.csv: 40 Training and 10 PublicTest rows per class, FER2013 class order', async () => {
    const dataset = await importDataset(
      { kind: 'archive', name: 'fer2013-mini.csv', data: load('fer2013-mini.csv') },
      {},
      { decode: headerDecoder },
    );
    expect(dataset.classes).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
    expect(dataset.summary.format).toBe('csv');
    expect(dataset.summary.counts.train).toEqual(Array(7).fill(40));
    expect(dataset.summary.counts.validation).toEqual(Array(7).fill(10));
    expect(dataset.summary.counts.test).toEqual(Array(7).fill(0));
    expect(dataset.summary.validationFromTrain).toBe(false);
    expect(dataset.summary.skipped).toEqual([]);
    const first = dataset.splits.train[0];
    expect(first?.pixels.slice(0, 4)).toEqual(new Uint8Array([25, 25, 28, 31]));
    expect(first?.path).toBe('csv:row 2');
  });

  withData('fer2013.zip', 'imports fer2013.zip with its root folder and the full class counts', async () => {
    const started = performance.now();
    const dataset = await importDataset(
      { kind: 'archive', name: 'fer2013.zip', data: load('fer2013.zip') },
      { seed: 7 },
      { decode: headerDecoder },
    );
    console.log(`fer2013.zip imported in ${Math.round(performance.now() - started)} ms with the header decoder`);
    expect(dataset.classes).toEqual(FOLDER_ORDER);
    expect(perClassTotal(dataset, ['train', 'validation'])).toEqual([3995, 436, 4097, 7215, 4965, 4830, 3171]);
    expect(perClassTotal(dataset, ['test'])).toEqual([467, 56, 496, 895, 607, 653, 415]);
    expect(dataset.summary.validationFromTrain).toBe(true);
    expect(dataset.summary.counts.validation.reduce((a, b) => a + b, 0)).toBe(
      [3995, 436, 4097, 7215, 4965, 4830, 3171].reduce((sum, n) => sum + Math.round(n * 0.1), 0),
    );
    expect(dataset.summary.bytesHeld).toBe(32298 * 2304);
    expect(dataset.summary.skipped).toEqual([]);
  });
});
