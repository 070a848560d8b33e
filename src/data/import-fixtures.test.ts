/**
 * The code paths the real FER2013 files take (root folder, split folders, class folders alone, a CSV
 * with all three Usage values), on datasets generated here, so a clone without the real files loses
 * no coverage when import-shared.test.ts is skipped.
 */
import { describe, expect, it, vi } from 'vitest';
import { importDataset } from './import-dataset.ts';
import { folderZip, ferCsv } from './testing/fixture-datasets.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource } from './testing/zips.ts';

const FOLDER_ORDER = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'];
const sevens = (n: number) => Array(7).fill(n) as number[];

describe('generated fixture datasets', () => {
  it('a root folder around train/ and test/ split folders: root stripped, validation carved from train', async () => {
    const zip = folderZip({ root: 'faces', perClass: { train: 10, test: 3 } });
    const dataset = await importDataset(archiveSource('faces.zip', zip), { seed: 3 }, { decode: headerDecoder });
    expect(dataset.classes).toEqual(FOLDER_ORDER);
    expect(dataset.summary.counts.train).toEqual(sevens(9));
    expect(dataset.summary.counts.validation).toEqual(sevens(1));
    expect(dataset.summary.counts.test).toEqual(sevens(3));
    expect(dataset.summary.validationFromTrain).toBe(true);
    expect(dataset.summary.skipped).toEqual([]);
    expect(dataset.summary.sizes).toEqual({ '48x48': 91 });
    expect(dataset.splits.train.every((image) => image.path.startsWith('faces/train/'))).toBe(true);
  });

  it('train/, val/ and test/ folders keep their own validation split', async () => {
    const zip = folderZip({ perClass: { train: 4, val: 2, test: 1 }, classes: ['calm', 'joy', 'rage'] });
    const dataset = await importDataset(archiveSource('three.zip', zip), {}, { decode: headerDecoder });
    expect(dataset.classes).toEqual(['calm', 'joy', 'rage']);
    expect(dataset.summary.counts).toEqual({ train: [4, 4, 4], validation: [2, 2, 2], test: [1, 1, 1] });
    expect(dataset.summary.validationFromTrain).toBe(false);
  });

  it('class folders alone: everything is train, validation carved, a warning that there is no test split', async () => {
    const zip = folderZip({ perClass: { all: 10 }, classes: ['a', 'b'] });
    const dataset = await importDataset(archiveSource('flat.zip', zip), {}, { decode: headerDecoder });
    expect(dataset.summary.counts).toEqual({ train: [9, 9], validation: [1, 1], test: [0, 0] });
    expect(dataset.summary.warnings.join(' ')).toMatch(/No test split/);
  });

  it('a FER2013 CSV with Training, PublicTest and PrivateTest rows: train, validation and test, FER2013 order', async () => {
    const csv = new TextEncoder().encode(ferCsv({ Training: 4, PublicTest: 2, PrivateTest: 1 }));
    const dataset = await importDataset(archiveSource('fer-like.csv', csv), {}, { decode: headerDecoder });
    expect(dataset.classes).toEqual(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
    expect(dataset.summary.format).toBe('csv');
    expect(dataset.summary.counts).toEqual({ train: sevens(4), validation: sevens(2), test: sevens(1) });
    expect(dataset.summary.validationFromTrain).toBe(false);
    expect(dataset.summary.skipped).toEqual([]);
    expect(dataset.splits.test[0]?.pixels.length).toBe(48 * 48);
  });

  it('the same arguments give the same bytes, whatever the clock says', () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date(2031, 4, 6, 7, 8, 9));
      const first = folderZip({ perClass: { all: 2 }, classes: ['a', 'b'] });
      vi.setSystemTime(new Date(2032, 10, 12, 13, 14, 15));
      expect(folderZip({ perClass: { all: 2 }, classes: ['a', 'b'] })).toEqual(first);
    } finally {
      vi.useRealTimers();
    }
  });
});
