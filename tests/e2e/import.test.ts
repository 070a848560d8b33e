import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import { DEFAULT_DATASET_OPTIONS } from '../../src/shared/train-defaults.ts';
import type { DatasetSummary } from '../../src/shared/types.ts';
import { openLabSession, requestId } from '../../scripts/lab/lab-session.ts';
import { datasetSourceFor } from '../../scripts/lab/inputs.ts';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { datasetPath, lab, missingDataset } from './helpers.ts';

type Summary = Omit<DatasetSummary, 'samples'>;

/** Imports with `lab import` (the app's worker and the browser's decoders in headless Chromium). */
async function importSummary(path: string): Promise<Summary> {
  const { lines } = await lab(['import', path]);
  assert.equal(lines.length, 1, 'lab import prints one JSON summary');
  return lines[0] as Summary;
}

/** Images per class name in one split. */
function perClass(summary: Summary, ...splits: (keyof Summary['counts'])[]): Record<string, number> {
  return Object.fromEntries(
    summary.classes.map((name, i) => [name, splits.reduce((sum, split) => sum + (summary.counts[split][i] ?? 0), 0)]),
  );
}

const FER_CLASSES = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'];
const each = (names: readonly string[], count: number) => Object.fromEntries(names.map((name) => [name, count]));

describe('lab import of the shared FER2013 data in headless Chromium', () => {
  const miniZip = 'fer2013-mini.zip: 7 classes, 60 train+validation and 15 test images per class, nothing skipped';
  test(miniZip, { skip: missingDataset('fer2013-mini.zip') }, async () => {
    const summary = await importSummary(datasetPath('fer2013-mini.zip'));
    assert.deepEqual(summary.classes, FER_CLASSES);
    assert.deepEqual(perClass(summary, 'train', 'validation'), each(FER_CLASSES, 60));
    assert.deepEqual(perClass(summary, 'test'), each(FER_CLASSES, 15));
    assert.ok(summary.validationFromTrain);
    assert.deepEqual(summary.skipped, []);
    assert.deepEqual(summary.sizes, { '48x48': 525 });
    assert.equal(summary.bytesHeld, 525 * 48 * 48, 'grayscale JPEGs are held as one channel');
  });

  const miniCsv = 'fer2013-mini.csv: Training rows are train, PublicTest rows validation (40 and 10 per class)';
  test(miniCsv, { skip: missingDataset('fer2013-mini.csv') }, async () => {
    const summary = await importSummary(datasetPath('fer2013-mini.csv'));
    assert.equal(summary.format, 'csv');
    assert.deepEqual([...summary.classes].sort(), FER_CLASSES);
    assert.deepEqual(perClass(summary, 'train'), each(FER_CLASSES, 40));
    assert.deepEqual(perClass(summary, 'validation'), each(FER_CLASSES, 10));
    assert.equal(summary.validationFromTrain, false);
    assert.deepEqual(summary.skipped, []);
  });

  const full = 'fer2013.zip (full): 28,709 train+validation and 3,589 test images, under 150 MB of pixels';
  test(full, { skip: missingDataset('fer2013.zip') }, async () => {
    const summary = await importSummary(datasetPath('fer2013.zip'));
    assert.deepEqual(summary.classes, FER_CLASSES);
    assert.deepEqual(perClass(summary, 'train', 'validation'), {
      angry: 3995,
      disgust: 436,
      fear: 4097,
      happy: 7215,
      neutral: 4965,
      sad: 4830,
      surprise: 3171,
    });
    assert.equal(
      Object.values(perClass(summary, 'test')).reduce((a, b) => a + b, 0),
      3589,
    );
    assert.deepEqual(summary.skipped, []);
    assert.deepEqual(summary.sizes, { '48x48': 32298 });
    assert.ok(summary.bytesHeld <= 150e6, `bytesHeld ${summary.bytesHeld} is over 150 MB`);
  });
});

describe('lab import of damaged archives in headless Chromium', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'expression-lab-import-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('good images import; junk, truncated, random and undecodable files are skipped with reasons', async () => {
    const faces = unzipSync(folderZip({ perClass: { train: 5, test: 3 }, classes: ['angry', 'happy'] }));
    const take = (folder: string, count: number): [string, Uint8Array][] =>
      Object.entries(faces)
        .filter(([path]) => path.startsWith(folder) && path.endsWith('.png'))
        .slice(0, count);
    const good = [...take('train/angry/', 4), ...take('train/happy/', 5), ...take('test/angry/', 2), ...take('test/happy/', 3)];
    assert.equal(good.length, 14);
    const png = good[0]?.[1] as Uint8Array;
    let seed = 7;
    const random = Uint8Array.from({ length: 700 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    random[0] = 0x42; // never a JPEG/PNG/GIF/WebP/BMP signature by chance
    // A JPEG signature and end marker around noise: passes the cheap checks, only the decoder can refuse it.
    const undecodable = Uint8Array.from([0xff, 0xd8, 0xff, ...random.subarray(0, 300), 0xff, 0xd9]);
    const zip = zipSync({
      ...Object.fromEntries(good),
      'train/angry/truncated.png': png.slice(0, Math.floor(png.length / 2)),
      'train/happy/random.jpg': random,
      'train/happy/noise.jpg': undecodable,
      '__MACOSX/train/angry/._x.jpg': new Uint8Array([0, 5, 22, 7, 0, 2, 0, 0]),
      'train/.DS_Store': new Uint8Array([0, 0, 0, 1, 66, 117, 100, 49]),
      'notes.txt': new TextEncoder().encode('collected from FER2013\n'),
    });
    const path = join(dir, 'damaged.zip');
    writeFileSync(path, zip);

    const summary = await importSummary(path);
    assert.deepEqual(summary.classes, ['angry', 'happy']);
    assert.deepEqual(perClass(summary, 'train', 'validation'), { angry: 4, happy: 5 });
    assert.deepEqual(perClass(summary, 'test'), { angry: 2, happy: 3 });
    const reasons = Object.fromEntries(summary.skipped.map(({ path, reason }) => [path, reason]));
    assert.deepEqual(Object.keys(reasons).sort(), [
      '__MACOSX/train/angry/._x.jpg',
      'notes.txt',
      'train/.DS_Store',
      'train/angry/truncated.png',
      'train/happy/noise.jpg',
      'train/happy/random.jpg',
    ]);
    assert.match(reasons['__MACOSX/train/angry/._x.jpg'] ?? '', /__MACOSX/);
    assert.match(reasons['train/.DS_Store'] ?? '', /metadata/);
    assert.match(reasons['notes.txt'] ?? '', /not an image \(\.txt file\)/);
    assert.match(reasons['train/angry/truncated.png'] ?? '', /truncated PNG/);
    assert.match(reasons['train/happy/random.jpg'] ?? '', /not a readable image/);
    assert.match(reasons['train/happy/noise.jpg'] ?? '', /could not decode: the browser could not decode noise\.jpg/);
  });

  test('a file named .zip that is not a zip: exit code 1 and a message saying it is not a zip', async () => {
    const path = join(dir, 'photos.zip');
    writeFileSync(path, 'this is a text file, not an archive\n'.repeat(20));
    await assert.rejects(lab(['import', path]), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /"photos\.zip" is named like a zip but is not one/);
      return true;
    });
  });
});

describe('cancelling an import in headless Chromium', () => {
  const cancel = 'dataset/cancel mid-decoding ends the load with "cancelled", and the next import still works';
  test(cancel, { skip: missingDataset('fer2013.zip', 'fer2013-mini.zip') }, async () => {
    const session = await openLabSession({ backend: 'wasm' });
    try {
      const progress: { done: number; total: number; phase: string }[] = [];
      const id = requestId();
      session.onEvent((event) => {
        if (event.type !== 'dataset/progressed' || event.requestId !== id) return;
        progress.push(event as unknown as { done: number; total: number; phase: string });
        if (event.phase === 'decoding' && (event.done as number) > 0 && progress.filter((p) => p.phase === 'decoding').length === 2) {
          void session.send({ type: 'dataset/cancel', requestId: requestId() });
        }
      });
      const source = datasetSourceFor(datasetPath('fer2013.zip'), session.server);
      await assert.rejects(
        session.request({ type: 'dataset/load', requestId: id, source, options: DEFAULT_DATASET_OPTIONS }),
        /Dataset import was cancelled/,
      );
      const decoding = progress.filter((p) => p.phase === 'decoding');
      assert.ok(decoding.length >= 2, 'decoding progress was reported before the cancel');
      assert.ok((decoding.at(-1)?.done ?? 0) < 32298, 'the import stopped before decoding every image');
      assert.ok(!progress.some((p) => p.phase === 'splitting'), 'a cancelled import never reaches splitting');

      const mini = datasetSourceFor(datasetPath('fer2013-mini.zip'), session.server);
      const reply = await session.request({
        type: 'dataset/load',
        requestId: requestId(),
        source: mini,
        options: DEFAULT_DATASET_OPTIONS,
      });
      assert.deepEqual(perClass(reply.summary, 'test'), each(FER_CLASSES, 15));
    } finally {
      await session.close();
    }
  });
});
