/**
 * The WebGPU device lost mid-run (headless Chromium, SwiftShader): the run pauses at its last
 * checkpoint, marked interrupted as after a worker crash, the page says the device was lost, and
 * "Resume on WASM" switches the backend and finishes the run from that checkpoint. A linear probe
 * at 32 px on 4 generated images keeps it short.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { dropZip, screenshot, startApp, type AppHarness } from './helpers.ts';

const SETTINGS = '?backend=webgpu#regime=linear&lr=0,0,0,0,0,0,0.01&batch=2&epochs=8&size=32&seed=7';

/** Loses the GPU device once the first checkpoint of epoch 3 or later is committed; records the epochs seen. */
const LOSE_AFTER_CHECKPOINT = `
  window.__epochs = [];
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'train/epochEnded') window.__epochs.push(e.data.metrics.epoch);
        const at = e.data && e.data.type === 'train/checkpointSaved' ? e.data.resumeAt : null;
        if (window.__loseAfterCheckpoint && at && at.epoch >= 2) {
          window.__loseAfterCheckpoint = false;
          window.__lostAt = at;
          window.__expressionLab.loseGpuDevice();
        }
      });
    }
  };
`;

const status = (page: Page) => page.getByTestId('run-row').first().getAttribute('data-status');

describe('WebGPU device lost mid-run', () => {
  let app: AppHarness;
  before(async () => {
    app = await startApp();
    await app.browser.context.addInitScript({ content: LOSE_AFTER_CHECKPOINT });
  });
  after(async () => app?.close());

  test('the run pauses at its last checkpoint and Resume on WASM finishes it', { timeout: 300_000 }, async () => {
    const page = await app.open(SETTINGS);
    page.on('dialog', (dialog) => void dialog.accept());
    await page
      .getByTestId('backend')
      .getByText(/webgpu/i)
      .waitFor({ timeout: 120_000 });
    await dropZip(page, 'tiny.zip', folderZip({ perClass: { train: 2, val: 1 }, classes: ['happy', 'sad'] }));
    await page.getByTestId('dataset-summary').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Use random initialisation' }).click();
    await page
      .getByTestId('weights-status')
      .locator('strong')
      .getByText(/not pretrained/i)
      .waitFor({ timeout: 300_000 });
    await page.evaluate('window.__loseAfterCheckpoint = true');
    await page.getByTestId('start').click();

    await page.getByTestId('interrupted-1').waitFor({ timeout: 240_000 });
    const lostAt = (await page.evaluate('window.__lostAt')) as { epoch: number; batch: number };
    const message = page.getByTestId('error-message').filter({ hasText: 'The GPU device was lost' });
    await message.waitFor({ timeout: 30_000 });
    assert.match(
      await message.innerText(),
      /The WebGPU device was lost \(.+\)\. The run is paused at its last checkpoint: Resume on WASM continues it on the CPU/s,
    );
    assert.equal(await status(page), 'interrupted');
    assert.match(await page.getByTestId('interrupted-1').innerText(), /Resume continues with (batch \d+ of )?epoch \d+/);
    await screenshot(page, 'device-lost-paused');

    const epochsBefore = ((await page.evaluate('window.__epochs')) as number[]).length;
    await page.getByTestId('resume-wasm-1').click({ timeout: 120_000 });
    await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 120_000 });
    await page.waitForFunction(
      `document.querySelector('[data-testid="run-row"]')?.getAttribute('data-status') === 'completed'`,
      undefined,
      {
        timeout: 240_000,
        polling: 500,
      },
    );
    const epochs = (await page.evaluate('window.__epochs')) as number[];
    process.stdout.write(
      `device lost after the checkpoint at ${JSON.stringify(lostAt)}; epochs after Resume on WASM: ${epochs.slice(epochsBefore).join(', ')}\n`,
    );
    assert.equal(epochs.at(-1), 8, 'the resumed run ends at its last epoch');
    assert.ok(epochs.slice(epochsBefore)[0]! > lostAt.epoch, 'it resumed after its checkpoint, not from the start');
    await screenshot(page, 'device-lost-resumed-on-wasm');
  });
});
