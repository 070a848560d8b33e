/**
 * The demo dataset is kept like a dropped one (issue 20, part 1): chosen while the page is still
 * starting (when a new user clicks it), it survives a reload; a run on it resumes after a reload
 * and its confusion cells list their images again; once the dataset is gone, the run says which
 * dataset it needs and how to bring it back; once the browser evicts its checkpoints between
 * sessions, the run keeps its metrics, says so, and its settings train again as a new run (issue 20,
 * part 4).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot, startApp, type AppHarness, useRandomWeights } from './helpers.ts';

const SETTINGS = '?backend=wasm#regime=linear&batch=32&epochs=2&size=32&seed=7';
const RUN_MS = 300_000;

/** Keeps the epoch of the last batch the worker reported in `window.__lastBatchEpoch` (an init script: survives reloads). */
const WATCH_BATCHES = `
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'train/batchEnded') window.__lastBatchEpoch = e.data.metrics.epoch;
      });
    }
  };
`;

const status = (page: Page) => page.getByTestId('run-row').first().getAttribute('data-status');

async function waitForStatus(page: Page, want: string): Promise<void> {
  await page.waitForFunction(`document.querySelector('[data-testid="run-row"]')?.getAttribute('data-status') === '${want}'`, undefined, {
    timeout: RUN_MS,
    polling: 250,
  });
}

async function demoShown(page: Page): Promise<void> {
  await page
    .getByTestId('dataset-summary')
    .getByText(/Demo faces/)
    .waitFor({ timeout: 60_000 });
}

describe('the demo dataset is kept across reloads (headless Chromium, WASM)', () => {
  let app: AppHarness;
  let page: Page;
  before(async () => {
    app = await startApp();
    await app.browser.context.addInitScript({ content: WATCH_BATCHES });
    page = await app.open(SETTINGS);
    page.on('dialog', (dialog) => void dialog.accept());
  });
  after(async () => app?.close());

  test(
    'chosen before the backend is ready, the demo is stored; a run on it is interrupted by a reload and resumes',
    { timeout: RUN_MS },
    async () => {
      // At once, as a new user does: storage is still opening.
      await page.getByRole('button', { name: 'Use demo dataset' }).click();
      await demoShown(page);
      await page
        .getByTestId('storage-summary')
        .getByText(/^Dataset [1-9][\d.]* [KM]B/)
        .waitFor({ timeout: 30_000 });
      await useRandomWeights(page);
      await page.getByTestId('start').click();
      await page.waitForFunction('window.__lastBatchEpoch === 2', undefined, { timeout: RUN_MS, polling: 100 });
      await page.reload();
      await demoShown(page);
      await waitForStatus(page, 'interrupted');
      const resume = page.getByTestId('resume-1');
      await page.waitForFunction(`!document.querySelector('[data-testid="resume-1"]')?.disabled`, undefined, { timeout: 60_000 });
      await resume.click();
      await waitForStatus(page, 'completed');
    },
  );

  test('after another reload the run’s confusion cells list their images (its model is evaluated again)', { timeout: RUN_MS }, async () => {
    await page.reload();
    await demoShown(page);
    await waitForStatus(page, 'completed');
    const cells = page.getByTestId('confusion-matrix').locator('tbody button');
    const counts = (await cells.allInnerTexts()).map(Number);
    assert.equal(counts.length, 49);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      70,
      'the demo’s 70 validation images',
    );
    const index = counts.findIndex((n) => n > 0);
    await cells.nth(index).click();
    const region = page.getByRole('region', { name: /^Evaluation/ });
    await region.getByText(/ shown|could not be listed/).waitFor({ timeout: 120_000 });
    const hint = await region.getByText(/ shown|could not be listed/).innerText();
    const errors = await page.getByTestId('error-message').allInnerTexts();
    assert.match(hint, new RegExp(`: ${Math.min(counts[index] ?? 0, 32)} shown`), `${hint} ${errors.join(' | ')}`);
    await screenshot(page, 'demo-kept-1-cell-after-reload');
  });

  test('once the dataset is forgotten, the run names the dataset it needs and how to bring it back', { timeout: RUN_MS }, async () => {
    await page.getByTestId('forget-dataset').click();
    await page
      .getByTestId('storage-summary')
      .getByText(/^Dataset 0 B/)
      .waitFor({ timeout: 30_000 });
    await page.reload();
    await waitForStatus(page, 'completed');
    assert.equal(await page.getByTestId('dataset-summary').count(), 0, 'no dataset after the reload');
    await page.getByTestId('confusion-matrix').locator('tbody button:not([disabled])').first().click();
    const message = page.getByTestId('error-message').filter({ hasText: 'Run 1 trained on "Demo faces"' });
    await message.waitFor({ timeout: 60_000 });
    assert.match(await message.innerText(), /no dataset is loaded now\. To bring its data back, press "Use demo dataset"/);
    assert.equal(await status(page), 'completed');
  });

  test(
    'once the browser evicts its checkpoints, the run keeps its metrics, says so, and Start again trains its settings',
    { timeout: RUN_MS },
    async () => {
      const evicted = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('expression-lab');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const store = db.transaction('checkpoints', 'readwrite').objectStore('checkpoints');
              const count = store.count();
              count.onsuccess = () => {
                const clear = store.clear();
                clear.onsuccess = () => (db.close(), resolve(count.result));
                clear.onerror = () => reject(clear.error);
              };
            };
          }),
      );
      assert.ok(evicted > 0, 'the run had checkpoints stored');
      await page.reload();
      await waitForStatus(page, 'completed');
      const notice = page.getByTestId('evicted-1');
      await notice.waitFor({ timeout: 60_000 });
      assert.match(
        await notice.innerText(),
        /checkpoint evicted by the browser: the metrics are kept, the weights are gone; start again with the same settings/,
      );
      assert.equal(await page.getByTestId('resume-1').count(), 0, 'no Resume that would fail');
      const accuracy = await page.getByTestId('run-row').first().innerText();
      assert.match(accuracy, /\d+(\.\d+)? ?%/, 'its metrics are still listed');
      await page.getByRole('button', { name: 'Use demo dataset' }).click();
      await demoShown(page);
      await useRandomWeights(page);
      await page.waitForFunction(`!document.querySelector('[data-testid="start-again-1"]')?.disabled`, undefined, { timeout: 60_000 });
      await page.getByTestId('start-again-1').click();
      await page.waitForFunction(
        `[...document.querySelectorAll('[data-testid="run-row"]')].filter((r) => r.getAttribute('data-status') === 'completed').length === 2`,
        undefined,
        { timeout: RUN_MS, polling: 250 },
      );
      await screenshot(page, 'demo-kept-2-evicted-trained-again');
    },
  );
});
