/**
 * WebGPU with checkpointing on: `tf.memory()` after epoch 3 equals after epoch 1, while each epoch's
 * checkpoint is read back from the device and written to IndexedDB. A linear probe on cached
 * features keeps it short on a software (SwiftShader) adapter.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { datasetPath, missingDataset, startApp, type AppHarness } from './helpers.ts';

const SETTINGS = '?backend=webgpu#regime=linear&lr=0,0,0,0,0,0,0.01&batch=8&epochs=3&size=32&seed=7';

const RECORD_EPOCHS = `
  window.__epochs = [];
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'train/epochEnded') window.__epochs.push(e.data.memory.numTensors);
      });
    }
  };
`;

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
  before(async () => {
    app = await startApp();
    await app.browser.context.addInitScript({ content: RECORD_EPOCHS });
    page = await app.open(SETTINGS);
  });
  after(async () => app?.close());

  test('tensors after epoch 3 equal those after epoch 1 with a checkpoint saved every epoch', { timeout: 900_000 }, async () => {
    await page
      .getByTestId('backend')
      .getByText(/webgpu/i)
      .waitFor({ timeout: 120_000 });
    const zip = Buffer.from(tinyZip()).toString('base64');
    const transfer = await page.evaluateHandle((b64) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'tiny.zip', { type: 'application/zip' }));
      return dt;
    }, zip);
    for (const type of ['dragenter', 'dragover', 'drop'])
      await page.getByTestId('dropzone').dispatchEvent(type, { dataTransfer: transfer });
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
  });
});
