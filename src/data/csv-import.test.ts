import { describe, expect, it } from 'vitest';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource, makeZip } from './testing/zips.ts';

const pixels = (count = 2304, value = 7) => Array.from({ length: count }, (_, i) => (i === 0 ? value : i % 256)).join(' ');
const row = (label: number | string, usage = 'Training', count = 2304) => `${label},${pixels(count, Number(label) || 0)},${usage}`;
const importCsv = (text: string, name = 'faces.csv') =>
  importDataset(archiveSource(name, new TextEncoder().encode(text)), { seed: 5 }, { decode: headerDecoder });
const goodRows = (perClass: number, usage = 'Training') => Array.from({ length: 7 * perClass }, (_, i) => row(i % 7, usage));

describe('FER2013 CSV', () => {
  it('tolerates a BOM, CRLF line ends, extra columns, quoting and blank lines', async () => {
    const lines = [
      'emotion,pixels,Usage,source',
      ...goodRows(3).map((r) => `${r},web`),
      `"3","${pixels()}","PrivateTest",x`,
      '',
      row(5, 'PublicTest') + ',y',
    ];
    const dataset = await importCsv(`\uFEFF${lines.join('\r\n')}\r\n`);
    expect(dataset.summary.counts.train.reduce((a, b) => a + b) + dataset.summary.counts.validation.reduce((a, b) => a + b)).toBe(22);
    expect(dataset.summary.counts.test).toEqual([0, 0, 0, 1, 0, 0, 0]);
    expect(dataset.summary.validationFromTrain).toBe(false);
    expect(dataset.summary.skipped).toEqual([]);
    const image = dataset.splits.test[0];
    expect(image).toMatchObject({
      width: 48,
      height: 48,
      channels: 1,
      classIndex: 3,
      path: 'csv:row 23',
    });
    expect(image?.pixels[1]).toBe(1);
  });

  it('names the missing columns and the header it needs', async () => {
    await expect(importCsv(`label,pixels\n${row(0)}\n`)).rejects.toThrow(
      /missing the column emotion in its header .*must be the header "emotion,pixels,Usage"/,
    );
    await expect(importCsv(`${row(0)}\n${row(1)}\n`)).rejects.toThrow(/missing the columns emotion and pixels/);
  });

  it('skips bad rows with spreadsheet row numbers and reasons, keeping the good ones', async () => {
    const lines = ['emotion,pixels,Usage', ...goodRows(2), row(9), row('x'), row(2, 'Training', 2303), row(1, 'Holdout')];
    const dataset = await importCsv(lines.join('\n'));
    expect(dataset.summary.skipped).toEqual([
      { path: 'csv:row 16', reason: 'emotion label "9" is not an integer 0–6' },
      { path: 'csv:row 17', reason: 'emotion label "x" is not an integer 0–6' },
      {
        path: 'csv:row 18',
        reason: 'expected 2304 pixel values (48×48), got 2303',
      },
      {
        path: 'csv:row 19',
        reason: 'Usage "Holdout" is not Training, PublicTest or PrivateTest',
      },
    ]);
    expect(dataset.summary.warnings[0]).toMatch(/^Skipped 4 bad rows of "faces\.csv": 16, 17, 18, 19\./);
  });

  it('fails when every row is bad, listing at most 20 row numbers', async () => {
    const lines = ['emotion,pixels,Usage', ...Array.from({ length: 25 }, () => row(1, 'Training', 100))];
    await expect(importCsv(lines.join('\n'))).rejects.toThrow(
      /None of the 25 data rows .*rows 2, 3, .*, 21 and 5 more; row 2: expected 2304 pixel values \(48×48\), got 100\)/,
    );
  });

  it('fails on a header with no rows', async () => {
    await expect(importCsv('emotion,pixels,Usage\n')).rejects.toThrow(/has a header but no data rows/);
  });

  it('drops labels that never occur with a warning, and without Usage uses all rows for training', async () => {
    const lines = ['emotion,pixels', ...Array.from({ length: 20 }, (_, i) => `${i % 2 === 0 ? 3 : 4},${pixels()}`)];
    const dataset = await importCsv(lines.join('\n'));
    expect(dataset.classes).toEqual(['happy', 'sad']);
    expect(dataset.summary.validationFromTrain).toBe(true);
    expect(dataset.summary.counts.validation).toEqual([1, 1]);
    expect(dataset.summary.warnings.join('\n')).toMatch(/No images of "angry", "disgust", "fear", "surprise", "neutral"/);
    expect(dataset.summary.warnings.join('\n')).toMatch(/no Usage column/);
  });

  it('reads a CSV inside a zip', async () => {
    const zip = makeZip({
      'fer/fer2013.csv': ['emotion,pixels,Usage', ...goodRows(2)].join('\n'),
      'fer/README.txt': 'x',
    });
    const dataset = await importDataset(archiveSource('fer.zip', zip), {}, { decode: headerDecoder });
    expect(dataset.summary.format).toBe('csv');
    expect(dataset.classes).toHaveLength(7);
    expect(dataset.summary.skipped).toEqual([{ path: 'fer/README.txt', reason: 'not an image (.txt file)' }]);
  });
});

describe('validation fraction 0', () => {
  it('leaves validation empty with a warning when the data has none', async () => {
    const text = ['emotion,pixels', ...Array.from({ length: 10 }, (_, i) => `${i % 2},${pixels()}`)].join('\n');
    const dataset = await importDataset(
      archiveSource('f.csv', new TextEncoder().encode(text)),
      { validationFraction: 0 },
      { decode: headerDecoder },
    );
    expect(dataset.summary.counts.validation).toEqual([0, 0]);
    expect(dataset.summary.warnings).toContain(
      'No validation images: set the validation fraction above 0 to measure progress while training.',
    );
  });
});
