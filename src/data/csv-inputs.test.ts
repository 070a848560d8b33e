/**
 * FER2013 CSVs as spreadsheets and other tools write them: CRLF line ends and a UTF-8 BOM simply
 * work; bad rows (wrong pixel counts, labels that are not numbers) are skipped and reported with a
 * count, row numbers and the first reasons; UTF-16 and semicolon-separated files are refused, saying how to save them.
 */
import { describe, expect, it } from 'vitest';
import { importDataset } from './import-dataset.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource } from './testing/zips.ts';

const pixels = (count = 2304) => Array.from({ length: count }, (_, i) => i % 256).join(' ');
const rows = (perClass: number, usage?: string) =>
  Array.from({ length: 7 * perClass }, (_, i) => `${i % 7},${pixels()}${usage ? `,${usage}` : ''}`);
const importBytes = (bytes: Uint8Array, name = 'fer.csv') =>
  importDataset(archiveSource(name, bytes), { seed: 2 }, { decode: headerDecoder });
const importCsv = (text: string, name?: string) => importBytes(new TextEncoder().encode(text), name);

describe('FER2013 CSV line ends and byte-order marks', () => {
  it('reads CRLF line ends, with pixels as the last column', async () => {
    const dataset = await importCsv(['emotion,pixels', ...rows(2)].join('\r\n') + '\r\n');
    expect(dataset.summary.skipped).toEqual([]);
    expect(dataset.classes).toHaveLength(7);
    expect(dataset.splits.train[0]?.pixels[255]).toBe(255);
  });

  it('reads a UTF-8 BOM before the header, with LF line ends', async () => {
    const dataset = await importCsv('\uFEFF' + ['emotion,pixels,Usage', ...rows(2, 'Training')].join('\n'));
    expect(dataset.summary.skipped).toEqual([]);
    expect(dataset.classes).toHaveLength(7);
  });
});

describe('bad FER2013 rows', () => {
  it('skips wrong pixel counts and labels that are not numbers, reporting the count, rows and first reasons', async () => {
    const lines = [
      'emotion,pixels,Usage',
      ...rows(2, 'Training'),
      `3,${pixels(2303)},Training`,
      `happy,${pixels()},Training`,
      `4,${pixels(2305)},Training`,
      `2,${pixels(10)} x,Training`,
    ];
    const { summary } = await importCsv(lines.join('\r\n'), 'bad.csv');
    expect(summary.skipped.map((s) => s.path)).toEqual(['csv:row 16', 'csv:row 17', 'csv:row 18', 'csv:row 19']);
    expect(summary.warnings[0]).toBe(
      'Skipped 4 bad rows of "bad.csv": 16, 17, 18, 19. Row 16: expected 2304 pixel values (48×48), got 2303;' +
        ' row 17: emotion label "happy" is not an integer 0–6; row 18: expected 2304 pixel values (48×48), got 2305.' +
        ' Each is listed with its reason under skipped files.',
    );
    expect(summary.skipped[3]?.reason).toBe('pixel value 11 is not a whole number 0–255 (found "x")');
  });

  it('refuses a UTF-16 CSV, saying how to save it', async () => {
    const text = 'emotion,pixels\n0,1 2\n';
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) utf16[2 + 2 * i] = text.charCodeAt(i);
    await expect(importBytes(utf16, 'excel.csv')).rejects.toThrow(
      `"excel.csv" is UTF-16 text (as Excel's "Unicode Text" saves it); the lab reads UTF-8. Save it as "CSV UTF-8" (or plain CSV) and drop it again.`,
    );
  });

  it('refuses a semicolon-separated CSV, saying so', async () => {
    await expect(importCsv(['emotion;pixels;Usage', `0;${pixels()};Training`].join('\n'), 'semi.csv')).rejects.toThrow(
      /^"semi\.csv" is separated by semicolons, as Excel saves CSV in some countries; FER2013 uses commas\. "semi\.csv" is missing the columns emotion and pixels/,
    );
  });
});
