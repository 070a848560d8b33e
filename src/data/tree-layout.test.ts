import { describe, expect, it } from 'vitest';
import type { DatasetSource } from '../shared/protocol.ts';
import { importDataset } from './import-dataset.ts';
import { detectLayout } from './layout.ts';
import { headerDecoder } from './testing/header-decoder.ts';
import { archiveSource, classFolders, filesSource, makeZip, tinyJpeg, tinyPng } from './testing/zips.ts';

const run = (source: DatasetSource) => importDataset(source, { seed: 3 }, { decode: headerDecoder });
const zipOf = (files: Record<string, Uint8Array | string>) => run(archiveSource('faces.zip', makeZip(files)));
const reasonsByPath = (skipped: readonly { path: string; reason: string }[]) => Object.fromEntries(skipped.map((s) => [s.path, s.reason]));

describe('junk and broken files', () => {
  it('skips junk, non-images and truncated images with reasons while the good files import', async () => {
    const dataset = await zipOf({
      ...classFolders('', ['happy', 'sad'], 3),
      '__MACOSX/happy/._happy_0.jpg': 'x',
      'happy/.DS_Store': 'x',
      'sad/Thumbs.db': 'x',
      'sad/desktop.ini': 'x',
      '.git/config.jpg': tinyJpeg(48, 48),
      'happy/.hidden.jpg': tinyJpeg(48, 48),
      'happy/notes.txt': 'hello',
      'sad/fake.jpg': 'not really a jpeg',
      'sad/cut.jpg': tinyJpeg(48, 48, { truncated: true }),
      'sad/wide.png': tinyPng(64, 32),
      'stray.jpg': tinyJpeg(48, 48),
    });
    expect(dataset.classes).toEqual(['happy', 'sad']);
    expect([...dataset.summary.counts.train].map((n, c) => n + (dataset.summary.counts.validation[c] ?? 0))).toEqual([3, 4]);
    expect(dataset.summary.sizes).toEqual({ '48x48': 6, '64x32': 1 });
    expect(reasonsByPath(dataset.summary.skipped)).toEqual({
      '.git/config.jpg': 'inside a hidden folder',
      '__MACOSX/happy/._happy_0.jpg': 'macOS resource fork (__MACOSX)',
      'happy/.DS_Store': 'operating-system metadata file (.DS_Store)',
      'happy/.hidden.jpg': 'hidden file',
      'happy/notes.txt': 'not an image (.txt file)',
      'sad/Thumbs.db': 'operating-system metadata file (Thumbs.db)',
      'sad/cut.jpg': 'truncated JPEG (no end-of-image marker)',
      'sad/desktop.ini': 'operating-system metadata file (desktop.ini)',
      'sad/fake.jpg': 'not a readable image (its content is not JPEG, PNG, GIF, WebP or BMP)',
      'stray.jpg': 'at the top level, not inside a class folder',
    });
  });

  it('reports decoder failures as skipped with the reason', async () => {
    const bad = tinyJpeg(48, 48);
    bad[3] = 0x01;
    const dataset = await zipOf({
      ...classFolders('', ['happy', 'sad'], 2),
      'sad/bad.jpg': bad,
    });
    expect(reasonsByPath(dataset.summary.skipped)['sad/bad.jpg']).toMatch(/^could not decode: corrupt JPEG/);
  });
});

describe('layout detection', () => {
  it('strips a single root folder and maps split-folder name variants in any case', async () => {
    const dataset = await zipOf({
      ...classFolders('data/Training/', ['happy', 'sad'], 10),
      ...classFolders('data/VALID/', ['happy', 'sad'], 2),
      ...classFolders('data/testing/', ['happy', 'sad'], 3),
      'data/Training/loose.jpg': tinyJpeg(48, 48),
      'data/readme.txt': 'x',
    });
    expect(dataset.summary.counts).toEqual({
      train: [10, 10],
      validation: [2, 2],
      test: [3, 3],
    });
    expect(dataset.summary.validationFromTrain).toBe(false);
    expect(reasonsByPath(dataset.summary.skipped)['data/Training/loose.jpg']).toBe(
      'directly inside the split folder "Training/", not in a class folder',
    );
  });

  it('carves validation from train when there is train and test only', async () => {
    const dataset = await zipOf({
      ...classFolders('train/', ['a', 'b'], 20),
      ...classFolders('test/', ['a', 'b'], 4),
    });
    expect(dataset.summary.counts).toEqual({
      train: [18, 18],
      validation: [2, 2],
      test: [4, 4],
    });
    expect(dataset.summary.validationFromTrain).toBe(true);
  });

  it('takes the union of classes across splits, sorted, and warns about a class missing from a split', async () => {
    const dataset = await zipOf({
      ...classFolders('train/', ['sad', 'happy', 'fear'], 10),
      ...classFolders('val/', ['happy', 'sad'], 2),
    });
    expect(dataset.classes).toEqual(['fear', 'happy', 'sad']);
    expect(dataset.summary.counts.validation).toEqual([0, 2, 2]);
    expect(dataset.summary.warnings).toContain('No "fear" images in the validation split: that split cannot measure that class.');
    expect(dataset.summary.warnings).toContain('No test split found: final results will come from the validation split.');
  });

  it('does not mistake a single class folder for a root folder', () => {
    expect(detectLayout(['happy/a.jpg', 'happy/b.jpg']).root).toBe('');
    expect(detectLayout(['fer2013/happy/a.jpg', 'fer2013/sad/b.jpg']).root).toBe('fer2013/');
    expect(detectLayout(['x/y/train/happy/a.jpg']).root).toBe('x/y/');
  });
});

describe('loose files and single-file drops', () => {
  it('groups dropped files by parent folder, with a dropped root folder and Windows separators', async () => {
    const dataset = await run(
      filesSource('my faces', {
        'faces\\happy\\1.jpg': tinyJpeg(48, 48),
        'faces/happy/2.png': tinyPng(48, 48),
        'faces/sad/1.jpg': tinyJpeg(48, 48),
        'faces/sad/2.jpg': tinyJpeg(48, 48),
      }),
    );
    expect(dataset.summary.format).toBe('files');
    expect(dataset.classes).toEqual(['happy', 'sad']);
    expect(dataset.splits.train.length + dataset.splits.validation.length).toBe(4);
  });

  it('treats a single dropped zip as an archive, sniffing content rather than the name', async () => {
    const dataset = await run(
      filesSource('drop', {
        'download.bin': makeZip(classFolders('', ['happy', 'sad'], 2)),
      }),
    );
    expect(dataset.summary.format).toBe('zip');
    expect(dataset.classes).toEqual(['happy', 'sad']);
  });

  it('reads a dropped folder with split folders', async () => {
    const dataset = await run(
      filesSource('fer', { ...classFolders('fer/train/', ['a', 'b'], 10), ...classFolders('fer/Test/', ['a', 'b'], 2) }),
    );
    expect(dataset.summary.counts).toEqual({ train: [9, 9], validation: [1, 1], test: [2, 2] });
  });
});
