/**
 * Images only a browser can judge, imported by the app's worker in headless Chromium (`lab import`):
 * a truncated JPEG is skipped with its reason; a CMYK JPEG and a 16-bit PNG are real images and
 * import; splits that disagree on the classes import with a warning naming what each split lacks.
 * The files come from Pillow (tests/e2e/unusual_images.py): skipped, with why, where it is absent.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { DatasetSummary } from '../../src/shared/types.ts';
import { lab, ROOT } from './helpers.ts';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'expression-lab-unusual-'));
const made = spawnSync(PYTHON, [join(ROOT, 'tests', 'e2e', 'unusual_images.py'), dir], { encoding: 'utf8' });
const skip =
  made.status === 0
    ? false
    : `SKIPPED: ${PYTHON} could not write the test images (${(made.stderr || made.error?.message || '').trim()}); Debian: apt-get install python3-pil python3-numpy`;
if (skip) process.stderr.write(`unusual-images: ${skip}\n`);

async function importSummary(name: string): Promise<Omit<DatasetSummary, 'samples'>> {
  const { lines } = await lab(['import', join(dir, name)]);
  return lines[0] as Omit<DatasetSummary, 'samples'>;
}

describe('unusual images in headless Chromium', { skip }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a truncated JPEG is skipped with its reason; a CMYK JPEG and a 16-bit PNG import', async () => {
    const summary = await importSummary('mixed.zip');
    assert.deepEqual(summary.skipped, [{ path: 'train/happy/truncated.jpg', reason: 'truncated JPEG (no end-of-image marker)' }]);
    const perClass = summary.classes.map((_, i) => (summary.counts.train[i] ?? 0) + (summary.counts.validation[i] ?? 0));
    assert.deepEqual(Object.fromEntries(summary.classes.map((c, i) => [c, perClass[i]])), { happy: 5, sad: 7 });
    assert.deepEqual(summary.sizes, { '48x48': 12 }, 'the CMYK JPEG and the 16-bit PNG decode at their own size');
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
