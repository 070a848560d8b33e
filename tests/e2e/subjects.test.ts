/**
 * A dataset that is not FER2013: CK+-style video frames (`anger/S010_004_00000017.png`) generated
 * here, dropped in the app in headless Chromium. Validation must be split by subject, with no subject
 * on both sides, and the summary must say so; `lab import --group-by image` must warn.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { frameSequenceZip } from '../../src/data/testing/fixture-datasets.ts';
import type { DatasetSummary } from '../../src/shared/types.ts';
import { dropZip, lab, screenshot, startApp, type AppHarness } from './helpers.ts';

const CLASSES = ['anger', 'contempt', 'disgust', 'fear', 'happy', 'sadness', 'surprise'];
const SUBJECTS = Array.from({ length: 20 }, (_, i) => `S${String(10 + i * 3).padStart(3, '0')}`);
const ZIP = frameSequenceZip({ subjects: SUBJECTS, classes: CLASSES, sequencesPerSubject: 2, framesPerSequence: 4 });
const PATHS = Object.keys(unzipSync(ZIP));

/** Frames per class of the given subjects, from the file names alone. */
function framesOf(subjects: ReadonlySet<string>): Record<string, number> {
  const counts = Object.fromEntries(CLASSES.map((c) => [c, 0]));
  for (const path of PATHS) {
    const [cls, name] = path.split('/');
    if (cls && name && subjects.has(name.slice(0, 4))) counts[cls] = (counts[cls] ?? 0) + 1;
  }
  return counts;
}

describe('a frame-sequence dataset with subject-coded names in the app (headless Chromium)', () => {
  let app: AppHarness;
  let page: Page;
  before(async () => {
    app = await startApp();
    page = await app.open();
    await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
  });
  after(async () => app?.close());

  test('validation is split by subject: no subject on both sides, and the summary says "split by subject: 20 subjects"', async () => {
    assert.equal(PATHS.length, 20 * 2 * 4);
    await dropZip(page, 'ck-frames.zip', ZIP);
    const summary = page.getByTestId('dataset-summary');
    await summary.waitFor({ timeout: 120_000 });
    assert.match(
      await summary.innerText(),
      /ck-frames\.zip · zip · 7 classes \(anger, contempt, disgust, fear, happy, sadness, surprise\)/,
    );
    const note = await page.getByTestId('split-note').innerText();
    const match = /split by subject: 20 subjects \((\d+) in validation: ([^)]*)\); no subject is on both sides\./.exec(note);
    assert.ok(match, `the summary says it split by subject: "${note}"`);
    const inValidation = new Set((match[2] ?? '').split(', '));
    assert.equal(inValidation.size, Number(match[1]));
    assert.ok(inValidation.size >= 2 && inValidation.size < 20, `${inValidation.size} subjects in validation`);
    for (const s of inValidation) assert.ok(SUBJECTS.includes(s), `${s} is one of the generated subjects`);

    // Every frame of a validation subject is in validation and every other frame in train: the
    // per-class table must equal the counts computed from the file names.
    const rows = await page.getByTestId('class-counts').locator('tbody tr').allInnerTexts();
    const table = Object.fromEntries(
      rows.map((r) => r.split('\t').map((c) => c.trim())).map(([cls, train, val]) => [cls, [Number(train), Number(val)]]),
    );
    const inTrain = new Set(SUBJECTS.filter((s) => !inValidation.has(s)));
    const [expectTrain, expectValidation] = [framesOf(inTrain), framesOf(inValidation)];
    assert.deepEqual(table, Object.fromEntries(CLASSES.map((c) => [c, [expectTrain[c], expectValidation[c]]])));
    assert.deepEqual(await page.getByTestId('class-counts').locator('thead th').allInnerTexts(), ['Class', 'Train', 'Validation']);
    const legend = await page.locator('[aria-label="Images per class and split"] .recharts-legend-item-text').allInnerTexts();
    assert.deepEqual(legend, ['train', 'validation'], 'no "test" legend without a test split');
    assert.doesNotMatch(await summary.innerText(), /split per image/);
    await screenshot(page, 'subjects-dataset');
  });
});

describe('lab import of the same frames', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expression-lab-subjects-'));
  const path = join(dir, 'ck-frames.zip');
  before(() => writeFileSync(path, ZIP));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--group-by image splits per image and warns that subjects are on both sides', async () => {
    const { lines } = await lab(['import', path, '--group-by', 'image']);
    const summary = lines[0] as DatasetSummary;
    assert.deepEqual(summary.splitBy, { kind: 'image' });
    assert.match(
      summary.warnings.join('\n'),
      /File names carry subjects \(S\d+ in "[a-z]+\/S\d+_\d+_\d+\.png": 20 subjects\), but validation was split per image/,
    );
  });

  test('--group-pattern groups by its capture group (here subject and sequence: 40 groups)', async () => {
    const { lines, stderr } = await lab(['import', path, '--group-pattern', '/(S\\d+_\\d+)_']);
    const summary = lines[0] as DatasetSummary;
    assert.equal(summary.splitBy?.kind, 'pattern');
    assert.match(stderr, /split by pattern: 40 groups/);
  });
});
