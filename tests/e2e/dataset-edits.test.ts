/**
 * Relabelling and excluding suspect images (issue 19), in the built app in headless Chromium on
 * WASM: a linear probe on the demo dataset (32 px), its top losses edited, the edits kept across a
 * reload and undone, and the next run trained and evaluated on the edited set, recording its edits.
 * Then the LR sweep on the same page: its progress is shown live, batch by batch, before it ends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, startApp, type AppHarness, useRandomWeights } from './helpers.ts';

const SETTINGS = '?backend=wasm#regime=linear&batch=32&epochs=1&size=32&seed=7';
const RUN_MS = 300_000;

/** Keeps the LR sweep's events, in order, in `window.__lrEvents` (an init script: survives reloads). */
const WATCH_SWEEP = `
  window.__lrEvents = [];
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        if (e.data && (e.data.type === 'lr/progressed' || e.data.type === 'lr/found')) window.__lrEvents.push(e.data.type);
      });
    }
  };
`;

async function waitForStatus(page: Page, row: number, want: string): Promise<void> {
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid="run-row"]')[${row}]?.getAttribute('data-status') === '${want}'`,
    undefined,
    { timeout: RUN_MS, polling: 250 },
  );
}

async function demoShown(page: Page): Promise<void> {
  await page
    .getByTestId('dataset-summary')
    .getByText(/Demo faces/)
    .waitFor({ timeout: 60_000 });
}

/** The shown run's validation confusion matrix, as row sums (images per true class). */
async function rowSums(page: Page): Promise<number[]> {
  const counts = (await page.getByTestId('confusion-matrix').locator('tbody button').allInnerTexts()).map(Number);
  const n = Math.round(Math.sqrt(counts.length));
  return Array.from({ length: n }, (_, t) => counts.slice(t * n, t * n + n).reduce((a, b) => a + b, 0));
}

/** The edit count a panel shows (its data-edits), 0 when it shows none. */
async function editCount(page: Page, testId: string): Promise<number> {
  const el = page.getByTestId(testId);
  return (await el.count()) === 0 ? 0 : Number(await el.getAttribute('data-edits'));
}

async function waitForCount(page: Page, testId: string, want: number): Promise<void> {
  const query = `document.querySelector('[data-testid="${testId}"]')`;
  await page.waitForFunction(want === 0 ? `!${query}` : `${query}?.dataset.edits === '${want}'`, undefined, { timeout: 30_000 });
}

describe('relabel and exclude suspect images (headless Chromium, WASM)', () => {
  let app: AppHarness;
  let page: Page;
  let classes: string[];
  let before1: number[];
  const edited: { path: string; from: number; to: number | null }[] = [];
  const started = Date.now();

  before(async () => {
    app = await startApp();
    await app.browser.context.addInitScript({ content: WATCH_SWEEP });
    page = await app.open(SETTINGS);
    await page.getByRole('button', { name: 'Use demo dataset' }).click();
    await demoShown(page);
    await useRandomWeights(page);
    await page.getByTestId('start').click();
    await waitForStatus(page, 0, 'completed');
    before1 = await rowSums(page);
  });
  after(async () => {
    await app?.close();
    process.stdout.write(`dataset-edits.test.ts took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  test(
    'from the top-losses list: relabel one image, exclude two, undo one; the count shows in both panels',
    { timeout: RUN_MS },
    async () => {
      assert.equal(
        before1.reduce((a, b) => a + b, 0),
        70,
        'run 1 is evaluated on the demo’s 70 validation images',
      );
      await page.locator('#top-losses-title').scrollIntoViewIfNeeded();
      await page.getByTestId('top-losses-find').click();
      await page.getByTestId('top-losses-summary').waitFor({ timeout: 120_000 });
      const items = page.getByTestId('top-loss');
      classes = await items
        .first()
        .getByTestId('image-relabel')
        .locator('option')
        .evaluateAll((os) => os.slice(1).map((o) => o.textContent ?? ''));
      assert.equal(classes.length, 7);
      const labelOf = async (i: number) => {
        const text = (await items.nth(i).textContent()) ?? '';
        const label = /labelled (\w+)predicted/.exec(text)?.[1] ?? '';
        return { path: (await items.nth(i).getAttribute('title')) ?? '', from: classes.indexOf(label) };
      };
      const first = await labelOf(0);
      const to = (first.from + 1) % classes.length;
      await items.nth(0).getByTestId('image-relabel').selectOption(String(to));
      await items.nth(0).getByTestId('image-edited').waitFor();
      for (const i of [1, 2]) {
        await items.nth(i).getByTestId('image-exclude').click();
        await items.nth(i).getByTestId('image-edited').waitFor();
      }
      await waitForCount(page, 'top-losses-edits', 3);
      assert.match((await page.getByTestId('top-losses-edits').textContent()) ?? '', /3 edits \(2 excluded, 1 relabelled\)/);
      await items.nth(2).getByTestId('image-undo').click();
      await waitForCount(page, 'top-losses-edits', 2);
      assert.equal(await items.nth(2).getByTestId('image-exclude').count(), 1, 'the undone image can be edited again');
      assert.equal(await editCount(page, 'dataset-edits'), 2, 'the Dataset panel shows the same count');
      edited.push({ ...first, to }, { ...(await labelOf(1)), to: null });
      await screenshot(page, 'dataset-edits-0-top-losses');
    },
  );

  test(
    'the edits survive a reload, and the next run trains and evaluates on the edited set and records them',
    { timeout: RUN_MS },
    async () => {
      await page.reload();
      await demoShown(page);
      await waitForCount(page, 'dataset-edits', 2);
      await page.getByTestId('dataset-edits').click();
      const listed = await page.getByTestId('dataset-edit').allInnerTexts();
      assert.equal(listed.length, 2);
      for (const e of edited)
        assert.ok(
          listed.some((line) => line.includes(e.path)),
          `${e.path} is listed among the edits: ${listed.join(' | ')}`,
        );
      await waitForStatus(page, 0, 'completed');
      // Weights are not kept across a reload (the run's are, in its checkpoints): choose them again.
      await useRandomWeights(page);
      await page.getByTestId('start').click();
      await waitForStatus(page, 1, 'completed');
      const runEdits = page.getByTestId('run-row').nth(1).getByTestId('run-edits');
      assert.equal(await runEdits.textContent(), 'trained with 2 edits (1 excluded, 1 relabelled)');
      assert.equal(await page.getByTestId('run-row').nth(0).getByTestId('run-edits').count(), 0, 'run 1 had none');
      assert.match((await page.getByTestId('edits-mismatch').textContent()) ?? '', /run 1: no edits; run 2: edits [0-9a-f]{8}/);
      await page.locator('#evaluation-title').scrollIntoViewIfNeeded();
      await page.getByRole('button', { name: 'Inspect Run 2', exact: false }).first().click();
      const expected = [...before1];
      for (const e of edited) {
        expected[e.from] = (expected[e.from] ?? 0) - 1;
        if (e.to !== null) expected[e.to] = (expected[e.to] ?? 0) + 1;
      }
      await page.waitForFunction(
        `[...document.querySelectorAll('[data-testid="confusion-matrix"] tbody button')].reduce((n, b) => n + Number(b.textContent), 0) === 69`,
        undefined,
        { timeout: 30_000 },
      );
      assert.deepEqual(await rowSums(page), expected, 'run 2’s validation: the excluded image gone, the relabelled one in its new class');
      await screenshot(page, 'dataset-edits-1-next-run');
    },
  );

  test('Undo all takes every edit back, and that too survives a reload', { timeout: RUN_MS }, async () => {
    await page.locator('#dataset-title').scrollIntoViewIfNeeded();
    await page.getByTestId('dataset-edits-undo-all').click();
    await waitForCount(page, 'dataset-edits', 0);
    await page.reload();
    await demoShown(page);
    await waitForStatus(page, 1, 'completed');
    assert.equal(await editCount(page, 'dataset-edits'), 0);
    assert.equal(
      await page.getByTestId('run-row').nth(1).getByTestId('run-edits').textContent(),
      'trained with 2 edits (1 excluded, 1 relabelled)',
      'run 2 still records the edits it trained with',
    );
  });

  test('the LR sweep shows its progress live (batch, rate, loss, the curve growing) before it ends', { timeout: RUN_MS }, async () => {
    await useRandomWeights(page);
    await page.locator('#lr-finder-title').scrollIntoViewIfNeeded();
    const panel = page.locator('section[aria-labelledby="lr-finder-title"]');
    await panel.getByLabel('batches').fill('4');
    await page.getByTestId('lr-find').click();
    const progress = page.getByTestId('lr-progress');
    await page.waitForFunction(`Number(document.querySelector('[data-testid="lr-progress"]')?.dataset.batches) >= 1`, undefined, {
      timeout: 120_000,
      polling: 50,
    });
    assert.match((await progress.textContent()) ?? '', /batch \d of at most 4 · lr \d\.\de-\d+ · loss \d+\.\d{3}/);
    await page.getByTestId('lr-curve').waitFor({ timeout: 120_000 });
    const events = (await page.evaluate('window.__lrEvents')) as string[];
    const points = Number(await page.getByTestId('lr-curve').getAttribute('data-points'));
    assert.equal(events.at(-1), 'lr/found', 'the sweep ends with its curve');
    assert.equal(events.filter((e) => e === 'lr/progressed').length, points, 'one progress event per batch, all before the end');
    assert.equal(await progress.count(), 0, 'the progress gives way to the result');
  });
});
