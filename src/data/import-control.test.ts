import { describe, expect, it } from 'vitest';
import type { ImageDecoder } from './dataset.ts';
import { importDataset } from './import-dataset.ts';
import type { ImportPhase } from './progress.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource, classFolders, makeZip } from './testing/zips.ts';

const bigZip = () =>
  makeZip({
    ...classFolders('train/', ['a', 'b', 'c'], 400),
    ...classFolders('test/', ['a', 'b', 'c'], 50),
  });
const csvText = (rows: number) =>
  [
    'emotion,pixels,Usage',
    ...Array.from(
      { length: rows },
      (_, i) =>
        `${i % 7},${Array(2304)
          .fill(i % 256)
          .join(' ')},Training`,
    ),
  ].join('\n');

describe('cancellation', () => {
  it('rejects at once with an AbortError when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      importDataset(archiveSource('x.zip', bigZip()), {}, { decode: headerDecoder, signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('stops decoding promptly when aborted mid-import', async () => {
    const controller = new AbortController();
    let calls = 0;
    const decode: ImageDecoder = async (bytes, path) => {
      calls++;
      if (calls === 100) controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 0));
      return headerDecoder(bytes, path);
    };
    await expect(importDataset(archiveSource('x.zip', bigZip()), {}, { decode, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
      message: 'Dataset import was cancelled.',
    });
    expect(calls).toBeLessThan(120);
  });

  it('stops a CSV import when aborted from a progress report', async () => {
    const controller = new AbortController();
    let reports = 0;
    const onProgress = (): void => {
      reports++;
      controller.abort();
    };
    const source = archiveSource('big.csv', new TextEncoder().encode(csvText(3000)));
    await expect(importDataset(source, {}, { decode: headerDecoder, onProgress, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(reports).toBe(1);
  });
});

describe('progress', () => {
  it('reports unzipping, then decoding up to the total, then splitting, throttled', async () => {
    const events: [number, number, ImportPhase][] = [];
    const started = Date.now();
    await importDataset(
      archiveSource('x.zip', bigZip()),
      {},
      {
        decode: headerDecoder,
        onProgress: (done, total, phase) => events.push([done, total, phase]),
      },
    );
    const phases = [...new Set(events.map(([, , phase]) => phase))];
    expect(phases).toEqual(['unzipping', 'decoding', 'splitting']);
    const decoding = events.filter(([, , phase]) => phase === 'decoding');
    expect(decoding.every(([, total]) => total === 1350)).toBe(true);
    expect(decoding.map(([done]) => done)).toEqual([...decoding.map(([done]) => done)].sort((a, b) => a - b));
    expect(decoding.at(-1)?.[0]).toBe(1350);
    expect(decoding.length).toBeGreaterThan(10);
    // At most one report per 1% plus one per 100 ms elapsed (a slow, shared machine adds timed ones).
    expect(decoding.length).toBeLessThanOrEqual(101 + Math.ceil((Date.now() - started) / 100));
    expect(events.at(-1)).toEqual([1, 1, 'splitting']);
  });

  it('reports CSV rows as decoding progress', async () => {
    const events: [number, number, ImportPhase][] = [];
    await importDataset(
      archiveSource('f.csv', new TextEncoder().encode(csvText(2000))),
      {},
      {
        decode: headerDecoder,
        onProgress: (d, t, p) => events.push([d, t, p]),
      },
    );
    expect(events.filter(([, , p]) => p === 'decoding').at(-1)).toEqual([2000, 2000, 'decoding']);
  });
});
