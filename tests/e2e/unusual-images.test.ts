/**
 * Images only a browser can judge, imported by the app's worker in headless Chromium (`lab import`):
 * a truncated JPEG or PNG, an SVG named .png and a 20,000 x 20,000 PNG are skipped with their
 * reasons; a CMYK JPEG and a 16-bit PNG are real images and import; an animated GIF and WebP give
 * their first frame, said once; splits that disagree on the classes import with a warning naming
 * what each split lacks. One `lab import` per zip, shared by the tests that read it.
 * The files come from Pillow (tests/e2e/unusual_images.py): skipped, with why, where it is absent.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { DatasetSummary } from '../../src/shared/types.ts';
import { badInputsTable } from '../bad-inputs-table.ts';
import { lab, ROOT } from './helpers.ts';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'expression-lab-unusual-'));
const made = spawnSync(PYTHON, [join(ROOT, 'tests', 'e2e', 'unusual_images.py'), dir], { encoding: 'utf8' });
const skip =
  made.status === 0
    ? false
    : `SKIPPED: ${PYTHON} could not write the test images (${(made.stderr || made.error?.message || '').trim()}); Debian: apt-get install python3-pil python3-numpy`;
if (skip) process.stderr.write(`unusual-images: ${skip}\n`);

type Summary = Omit<DatasetSummary, 'samples'>;
const imported = new Map<string, Promise<Summary>>();
function importSummary(name: string): Promise<Summary> {
  let summary = imported.get(name);
  if (!summary) {
    summary = lab(['import', join(dir, name)]).then(({ lines }) => lines[0] as Summary);
    imported.set(name, summary);
  }
  return summary;
}

describe('unusual images in headless Chromium', { skip }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a truncated JPEG or PNG, an SVG named .png and a 20,000 x 20,000 PNG are skipped with their reasons; a CMYK JPEG and a 16-bit PNG import', async () => {
    const summary = await importSummary('mixed.zip');
    // The reasons Chromium's import gives are the ones README's table of bad inputs quotes.
    const readme = new Map(badInputsTable().map((row) => [row.input, row.message]));
    assert.deepEqual(summary.skipped, [
      { path: 'train/happy/cut.png', reason: readme.get('a truncated PNG') },
      { path: 'train/happy/truncated.jpg', reason: readme.get('a truncated JPEG') },
      { path: 'train/sad/drawing.png', reason: readme.get('an SVG renamed .png') },
      { path: 'train/sad/huge.png', reason: readme.get('an image of 20,000 x 20,000 pixels') },
    ]);
    assert.match(readme.get('an image of 20,000 x 20,000 pixels') ?? '', /^20,000 × 20,000 pixels, over the 50-megapixel limit/);
    const perClass = summary.classes.map((_, i) => (summary.counts.train[i] ?? 0) + (summary.counts.validation[i] ?? 0));
    assert.deepEqual(Object.fromEntries(summary.classes.map((c, i) => [c, perClass[i]])), { happy: 5, sad: 7 });
    assert.deepEqual(summary.sizes, { '48x48': 12 }, 'the CMYK JPEG and the 16-bit PNG decode at their own size');
  });

  test('an animated GIF and an animated WebP import as their first frame (gray, not the red second one), said once', async () => {
    const summary = await importSummary('mismatch.zip');
    assert.ok(
      summary.warnings.includes('2 images are animated in "mismatch.zip" (e.g. "train/happy/wave.gif"): the first frame of each was used.'),
      summary.warnings.join('\n'),
    );
    assert.deepEqual(summary.sizes, { '48x48': 12, '40x40': 1, '32x32': 1 });
    assert.deepEqual(summary.skipped, []);
    // Gray frames are held as 1 channel; a red frame would take 3.
    assert.equal(summary.bytesHeld, 12 * 48 * 48 + 40 * 40 + 32 * 32);
  });

  test('splits that disagree on the classes: every class kept, and a warning for each split that lacks one', async () => {
    const summary = await importSummary('mismatch.zip');
    assert.deepEqual(summary.classes, ['angry', 'happy', 'sad']);
    assert.deepEqual(summary.counts.test, [2, 2, 0]);
    assert.ok(
      summary.warnings.includes(
        'No "angry" images in the train split: the model cannot learn that class (add training images of that class, or remove that class from every split).',
      ),
      summary.warnings.join('\n'),
    );
    assert.ok(
      summary.warnings.includes('No "sad" images in the test split: that split cannot measure that class.'),
      summary.warnings.join('\n'),
    );
  });
});
