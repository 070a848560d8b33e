/**
 * WebGPU with checkpointing on: `tf.memory()` after epoch 3 equals after epoch 1, while each epoch's
 * checkpoint is read back from the device and written to IndexedDB. Then a second run, with a
 * mid-epoch checkpoint at every batch boundary it can, is reloaded right after one inside epoch 2,
 * resumed with the next batch, and ends where the first ended (within 1e-4). A linear probe on
 * cached features keeps it short on a software (SwiftShader) adapter.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { dropZip, datasetPath, missingDataset, startApp, type AppHarness } from './helpers.ts';

const SETTINGS = '?backend=webgpu#regime=linear&lr=0,0,0,0,0,0,0.01&batch=8&epochs=3&size=32&seed=7';

/** Records epochs and batches; reloads the page once a mid-epoch checkpoint of epoch 2 is committed (when asked). */
const RECORD_EPOCHS = `
  window.__epochs = [];
  window.__metrics = [];
  window.__batches = [];
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'train/epochEnded') {
          window.__epochs.push(e.data.memory.numTensors);
          window.__metrics.push(e.data.metrics);
        }
        if (e.data && e.data.type === 'train/batchEnded') window.__batches.push(e.data.metrics);
        const at = e.data && e.data.type === 'train/checkpointSaved' ? e.data.resumeAt : null;
        if (window.__reloadAfterMidEpochCheckpoint && at && at.epoch === 1 && at.batch > 0) {
          window.__reloadAfterMidEpochCheckpoint = false;
          sessionStorage.setItem('reloadedAt', JSON.stringify(at));
          location.reload();
        }
      });
    }
  };
`;

interface EpochMetrics {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
}

function tinyZip(): Uint8Array {
  const missing = missingDataset('fer2013-mini.zip');
  if (missing) {
    // A fresh clone without the real data: generated faces of the same shape.
    process.stdout.write(`persist-webgpu.test.ts: using a generated zip instead of the real data: ${missing}\n`);
    return folderZip({ perClass: { train: 2, val: 1 } });
  }
  const mini = unzipSync(readFileSync(datasetPath('fer2013-mini.zip')));
  const out: Record<string, Uint8Array> = {};
  for (const cls of ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise']) {
    for (const name of Object.keys(mini)
      .filter((n) => n.startsWith(`train/${cls}/`))
      .slice(0, 2))
      out[name] = mini[name] as Uint8Array;
    for (const name of Object.keys(mini)
      .filter((n) => n.startsWith(`test/${cls}/`))
      .slice(0, 1))
      out[name.replace(/^test\//, 'val/')] = mini[name] as Uint8Array;
  }
  return zipSync(out);
}

describe('checkpointing on WebGPU (headless Chromium)', () => {
  let app: AppHarness;
  let page: Page;
  /** Run 1's last epoch: the uninterrupted reference. */
  let reference: EpochMetrics | undefined;
  before(async () => {
    app = await startApp();
    await app.browser.context.addInitScript({ content: RECORD_EPOCHS });
    page = await app.open(SETTINGS);
    page.on('dialog', (dialog) => void dialog.accept());
  });
  after(async () => app?.close());

  test('tensors after epoch 3 equal those after epoch 1 with a checkpoint saved every epoch', { timeout: 900_000 }, async () => {
    await page
      .getByTestId('backend')
      .getByText(/webgpu/i)
      .waitFor({ timeout: 120_000 });
    await dropZip(page, 'tiny.zip', tinyZip());
    await page.getByTestId('dataset-summary').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Use random initialisation' }).click();
    await page
      .getByTestId('weights-status')
      .locator('strong')
      .getByText(/not pretrained/i)
      .waitFor({ timeout: 300_000 });
    await page.getByTestId('start').click();
    await page.waitForFunction(
      `document.querySelector('[data-testid="run-row"]')?.getAttribute('data-status') === 'completed'`,
      undefined,
      {
        timeout: 850_000,
        polling: 500,
      },
    );
    const counts = (await page.evaluate('window.__epochs')) as number[];
    process.stdout.write(`WebGPU tensors after epochs 1..3 (checkpointing on): ${counts.join(', ')}\n`);
    assert.equal(counts.length, 3);
    assert.equal(counts[2], counts[0]);
    assert.match(await page.getByTestId('storage-summary').innerText(), /checkpoints [1-9]/);
    reference = ((await page.evaluate('window.__metrics')) as EpochMetrics[]).at(-1);
  });

  test(
    'reloaded right after a mid-epoch checkpoint, run 2 resumes with the next batch and ends where run 1 ended',
    { timeout: 600_000 },
    async () => {
      // 6 ms: due at every batch boundary. On cached features a batch takes milliseconds, so 0.01 min
      // (0.6 s) could pass over epoch 2's only boundary (2 batches of the generated set) and never reload.
      await page.getByTestId('checkpoint-minutes').fill('0.0001');
      await page.getByTestId('checkpoint-minutes').press('Enter');
      const reloaded = page.waitForEvent('load', { timeout: 400_000 });
      await page.evaluate('window.__reloadAfterMidEpochCheckpoint = true');
      await page.getByTestId('start').click();
      await reloaded;
      const at = JSON.parse((await page.evaluate("sessionStorage.getItem('reloadedAt')")) as string) as { epoch: number; batch: number };
      await page
        .getByTestId('backend')
        .getByText(/webgpu/i)
        .waitFor({ timeout: 120_000 });
      await page.getByTestId('dataset-summary').waitFor({ timeout: 120_000 });
      await page.getByTestId('resume-2').click({ timeout: 120_000 });
      await page.waitForFunction(
        `document.querySelectorAll('[data-testid="run-row"]')[1]?.getAttribute('data-status') === 'completed'`,
        undefined,
        { timeout: 400_000, polling: 500 },
      );
      const first = ((await page.evaluate('window.__batches')) as { epoch: number; batch: number }[])[0];
      assert.deepEqual([first?.epoch, first?.batch], [2, at.batch + 1], 'the resumed run goes on with the batch after its checkpoint');
      const resumed = ((await page.evaluate('window.__metrics')) as EpochMetrics[]).at(-1);
      assert.ok(reference && resumed && resumed.epoch === 3);
      for (const key of ['trainLoss', 'validationLoss', 'validationAccuracy'] as const) {
        const diff = Math.abs(reference[key] - resumed[key]);
        process.stdout.write(
          `WebGPU resumed after batch ${at.batch} of epoch 2: ${key} uninterrupted ${reference[key]} resumed ${resumed[key]} |diff| ${diff}\n`,
        );
        assert.ok(diff <= 1e-4, `${key} differs by ${diff}`);
      }
    },
  );
});
