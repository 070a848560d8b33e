/**
 * Work that survives, in headless Chromium on WASM: a run trained to the end (checkpoints at epoch
 * ends only: the uninterrupted reference); then, with a mid-epoch checkpoint at every batch
 * boundary it can, a second run reloaded right after one inside epoch 2, resumed with the next
 * batch; a third one whose worker is killed mid-run, then resumed. Runs 1–3 share seed and
 * settings: the resumed runs must end with run 1's metrics (within 1e-4). Then "Run all four
 * regimes" (1 epoch each), reloaded during its second run: the rest is listed as queued, and one
 * action finishes all four.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { dropZip, datasetPath, missingDataset, screenshot, startApp, type AppHarness, useRandomWeights } from './helpers.ts';

const SETTINGS = '?backend=wasm#regime=finetune&lr=0.0001,0.0001,0.0001,0.0001,0.0001,0.0001,0.001&batch=8&epochs=3&size=48&seed=7';
const RUN_MS = 420_000;

/** 7 classes × 3 train images and 1 validation image each, from fer2013-mini.zip. */
function tinyZip(): Uint8Array {
  const missing = missingDataset('fer2013-mini.zip');
  if (missing) {
    // A fresh clone without the real data: generated faces of the same shape.
    process.stdout.write(`persist.test.ts: using a generated zip instead of the real data: ${missing}\n`);
    return folderZip({ perClass: { train: 3, val: 1 } });
  }
  const mini = unzipSync(readFileSync(datasetPath('fer2013-mini.zip')));
  const out: Record<string, Uint8Array> = {};
  for (const cls of ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise']) {
    for (const name of Object.keys(mini)
      .filter((n) => n.startsWith(`train/${cls}/`))
      .slice(0, 3))
      out[name] = mini[name] as Uint8Array;
    for (const name of Object.keys(mini)
      .filter((n) => n.startsWith(`test/${cls}/`))
      .slice(0, 1))
      out[name.replace(/^test\//, 'val/')] = mini[name] as Uint8Array;
  }
  return zipSync(out);
}

/**
 * Records every epoch and batch event the training worker posts, across worker restarts (survives
 * reloads: an init script). With \`__reloadAfterMidEpochCheckpoint\` set, the page reloads itself as
 * soon as a mid-epoch checkpoint of epoch 2 is committed (kept in sessionStorage as \`reloadedAt\`),
 * so the reload always lands between that checkpoint and the next one.
 */
const RECORD_WORKER = `
  window.__epochs = [];
  window.__batches = [];
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'train/epochEnded') window.__epochs.push(e.data);
        if (e.data && e.data.type === 'train/batchEnded')
          window.__batches.push({ runId: e.data.runId, epoch: e.data.metrics.epoch, batch: e.data.metrics.batch, elapsedMs: e.data.metrics.elapsedMs });
        if (e.data && e.data.type === 'train/started') window.__started = (window.__started || 0) + 1;
        if (e.data && e.data.type === 'train/batchEnded' && window.__reloadInRun && window.__started === window.__reloadInRun) {
          window.__reloadInRun = 0;
          location.reload();
        }
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

interface BatchEvent {
  readonly runId: string;
  readonly epoch: number;
  readonly batch: number;
  readonly elapsedMs: number;
}

interface ResumePoint {
  readonly epoch: number;
  readonly batch: number;
  readonly elapsedMs: number;
}

interface EpochEvent {
  readonly runId: string;
  readonly metrics: {
    readonly epoch: number;
    readonly trainLoss: number;
    readonly validationLoss: number;
    readonly validationAccuracy: number;
  };
  readonly memory: { readonly numTensors: number };
}

const epochs = (page: Page) => page.evaluate('window.__epochs') as Promise<EpochEvent[]>;
const rowStatus = (page: Page, row: number) => page.getByTestId('run-row').nth(row).getAttribute('data-status');

async function waitForStatus(page: Page, row: number, status: string, timeout = RUN_MS): Promise<void> {
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid="run-row"]')[${row}]?.getAttribute('data-status') === '${status}'`,
    undefined,
    { timeout, polling: 250 },
  );
}

/** Waits until the run in `row` has finished epoch 1 and begun epoch 2: its epoch-1 checkpoint is then committed. */
async function waitForMidEpochTwo(page: Page): Promise<string> {
  await page.waitForFunction(`(() => { const b = window.__batches.at(-1); return b && b.epoch === 2; })()`, undefined, {
    timeout: RUN_MS,
    polling: 100,
  });
  return page.evaluate('window.__batches.at(-1).runId') as Promise<string>;
}

function assertSameFinalMetrics(reference: EpochEvent | undefined, resumed: EpochEvent | undefined, what: string): void {
  assert.ok(reference && resumed, `${what}: both runs reached epoch 3`);
  for (const key of ['trainLoss', 'validationLoss', 'validationAccuracy'] as const) {
    const diff = Math.abs(reference.metrics[key] - resumed.metrics[key]);
    process.stdout.write(`${what}: ${key} uninterrupted ${reference.metrics[key]} resumed ${resumed.metrics[key]} |diff| ${diff}\n`);
    assert.ok(diff <= 1e-4, `${what}: ${key} differs by ${diff}`);
  }
}

describe('work survives reloads and crashes (headless Chromium, WASM)', () => {
  let app: AppHarness;
  let page: Page;
  let dir: string;
  const dialogs: string[] = [];
  /** Run 1's epoch 3: the uninterrupted reference for the resumed runs (same seed and settings). */
  let reference: EpochEvent | undefined;
  /** Run 2's mid-epoch checkpoint the page reloaded after. */
  let checkpoint: ResumePoint | undefined;
  const started = Date.now();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'expression-lab-persist-'));
    app = await startApp();
    await app.browser.context.addInitScript({ content: RECORD_WORKER });
    page = await app.open(SETTINGS);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`persist.test.ts took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  test('run 1 trains to the end with checkpoints saved; tensors after epoch 3 equal those after epoch 1', { timeout: RUN_MS }, async () => {
    await dropZip(page, 'tiny.zip', tinyZip());
    await page.getByTestId('dataset-summary').waitFor({ timeout: 120_000 });
    await useRandomWeights(page);
    await page.getByTestId('start').click();
    await waitForStatus(page, 0, 'completed');
    reference = (await epochs(page)).find((e) => e.metrics.epoch === 3);
    const memory = (await epochs(page)).map((e) => e.memory.numTensors);
    process.stdout.write(`run 1 tensors after epochs 1..3 (checkpointing on): ${memory.join(', ')}\n`);
    assert.equal(memory.length, 3);
    assert.equal(memory[2], memory[0], 'no tensor leaked across epochs with checkpoints written');
    await page
      .getByTestId('storage-summary')
      .getByText(/checkpoints [1-9]/)
      .waitFor({ timeout: 30_000 });
  });

  test(
    'reloading run 2 right after a mid-epoch checkpoint (after a leave prompt) brings back the dataset, run 1 with curves, matrix and export, and run 2 as interrupted at that batch',
    { timeout: RUN_MS },
    async () => {
      // 0.01 min: a checkpoint is due at every batch boundary inside an epoch (one write at a time).
      await page.getByTestId('checkpoint-minutes').fill('0.01');
      await page.getByTestId('checkpoint-minutes').press('Enter');
      await page
        .getByTestId('checkpoint-cost')
        .getByText(/loses at most 1 s/)
        .waitFor({ timeout: 10_000 });
      const reloaded = page.waitForEvent('load', { timeout: RUN_MS });
      await page.evaluate('window.__reloadAfterMidEpochCheckpoint = true');
      await page.getByTestId('start').click();
      await reloaded;
      checkpoint = JSON.parse((await page.evaluate("sessionStorage.getItem('reloadedAt')")) as string) as ResumePoint;
      process.stdout.write(`run 2 reloaded after its mid-epoch checkpoint ${JSON.stringify(checkpoint)}\n`);
      assert.ok(dialogs.includes('beforeunload'), `a leave prompt was shown while run 2 trained (dialogs: ${dialogs.join(', ')})`);
      await page
        .getByTestId('dataset-summary')
        .getByText(/tiny\.zip · zip · 7 classes/)
        .waitFor({ timeout: 120_000 });
      await waitForStatus(page, 1, 'interrupted', 60_000);
      assert.equal(await rowStatus(page, 0), 'completed');
      assert.match(
        await page.getByTestId('interrupted-2').innerText(),
        new RegExp(`interrupted in epoch 2 of 3\\. Resume continues with batch ${checkpoint.batch + 1} of epoch 2 \\(\\d`),
      );
      assert.equal(await page.getByTestId('checkpoint-minutes').inputValue(), '0.01', 'the interval is kept with the lab');
      // Run 1's curves, confusion matrix (7×7) and export, from storage and its checkpoint.
      await page.getByLabel('Run to export').selectOption({ index: 0 });
      const lossPoints = await page.getByTestId('loss-chart').locator('path.recharts-curve').first().getAttribute('d');
      assert.ok(((lossPoints ?? '').match(/[ML]/g) ?? []).length > 3, 'the loss curve of run 1 is drawn again');
      assert.equal(await page.getByTestId('confusion-matrix').locator('tbody tr').count(), 7);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 180_000 }),
        page.getByTestId('export-safetensors').click(),
      ]);
      assert.equal(download.suggestedFilename(), 'run-1-finetune.safetensors');
      const path = join(dir, download.suggestedFilename());
      await download.saveAs(path);
      assert.ok(statSync(path).size > 90e6, `the exported model holds ResNet50's weights (${statSync(path).size} bytes)`);
      await screenshot(page, 'persist-1-after-reload');
    },
  );

  test(
    'Resume continues run 2 with the batch after its checkpoint and ends where the uninterrupted run 1 ended',
    { timeout: RUN_MS },
    async () => {
      await page.getByTestId('resume-2').click();
      await waitForStatus(page, 1, 'completed');
      const at = checkpoint;
      assert.ok(at, 'run 2 was reloaded after a mid-epoch checkpoint');
      const first = ((await page.evaluate('window.__batches')) as BatchEvent[])[0];
      process.stdout.write(`run 2's first batch after Resume: ${JSON.stringify(first)}\n`);
      assert.deepEqual(
        [first?.epoch, first?.batch],
        [2, at.batch + 1],
        'the batch counter goes on after the checkpoint, not from the epoch start',
      );
      assert.ok((first?.elapsedMs ?? 0) > at.elapsedMs, 'the elapsed training time goes on from the checkpoint');
      const resumed = await epochs(page);
      assert.deepEqual(
        resumed.map((e) => e.metrics.epoch),
        [2, 3],
        'epoch numbering continues after the checkpoint',
      );
      assertSameFinalMetrics(reference, resumed.at(-1), 'run 2 resumed after a reload');
      await screenshot(page, 'persist-2-resumed');
    },
  );

  test(
    'killing the worker mid-run: the page says so, keeps the finished epoch, restarts the worker, and Resume ends where run 1 ended',
    { timeout: RUN_MS },
    async () => {
      await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
      await useRandomWeights(page);
      await page.evaluate('window.__epochs = []; window.__batches = []');
      await page.getByTestId('start').click();
      await waitForMidEpochTwo(page);
      await page.evaluate('window.__expressionLab.crashWorker()');
      await page.getByTestId('error-message').filter({ hasText: 'The training worker stopped' }).waitFor({ timeout: 30_000 });
      assert.match(await page.getByTestId('error-message').filter({ hasText: 'The training worker stopped' }).innerText(), /Resume/);
      await waitForStatus(page, 2, 'interrupted', 60_000);
      assert.match(
        await page.getByTestId('interrupted-3').innerText(),
        /interrupted in epoch 2 of 3\. Resume continues with (batch \d of )?epoch 2/,
      );
      // The restarted worker has its backend and the dataset back (from storage) before Resume.
      await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
      await page.getByTestId('resume-3').waitFor({ state: 'visible' });
      await page.waitForFunction(`!document.querySelector('[data-testid="resume-3"]').disabled`, undefined, { timeout: 60_000 });
      await page.evaluate('window.__epochs = []');
      await page.getByTestId('resume-3').click();
      await waitForStatus(page, 2, 'completed');
      const resumed = await epochs(page);
      assert.deepEqual(
        resumed.map((e) => e.metrics.epoch),
        [2, 3],
      );
      assertSameFinalMetrics(reference, resumed.at(-1), 'run 3 resumed after a worker crash');
      await screenshot(page, 'persist-3-after-crash');
    },
  );

  test(
    'Run all four regimes, reloaded during its second run: the rest is listed as queued, the run without a checkpoint offers Start again, and Resume queue finishes all four',
    { timeout: RUN_MS },
    async () => {
      await page.getByTestId('checkpoint-minutes').fill('0');
      await page.getByTestId('checkpoint-minutes').press('Enter');
      await page.evaluate("location.hash = location.hash.replace('epochs=3', 'epochs=1')");
      await page.waitForFunction(`document.getElementById(
        [...document.querySelectorAll('label')].find((l) => l.textContent === 'Epochs').htmlFor).value === '1'`);
      const reloaded = page.waitForEvent('load', { timeout: RUN_MS });
      // Epoch ends only, one epoch each: the queue's second run has no checkpoint when the page reloads in it.
      await page.evaluate('window.__started = 0; window.__reloadInRun = 2');
      await useRandomWeights(page);
      await page.getByTestId('run-all').click();
      await reloaded;
      await page.getByTestId('dataset-summary').waitFor({ timeout: 120_000 });
      await waitForStatus(page, 4, 'interrupted', 60_000);
      assert.equal(await rowStatus(page, 3), 'completed');
      const queue = page.getByTestId('queue');
      assert.equal(await queue.getAttribute('data-waiting'), 'true');
      assert.match(await queue.innerText(), /waiting\. Next: Run 5 .*\(starts again\)/s);
      assert.match(await page.getByTestId('queued-6').innerText(), /Run 6 .*queued/);
      assert.match(await page.getByTestId('queued-7').innerText(), /Run 7 .*queued/);
      assert.match(await page.getByTestId('interrupted-5').innerText(), /cannot resume/);
      assert.equal(await page.getByTestId('resume-5').count(), 0, 'no Resume for a run without a checkpoint');
      await page.getByTestId('restart-5').waitFor();
      await screenshot(page, 'persist-4-queue-after-reload');
      await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
      // The queue goes on only with the weights its runs started from.
      await page.getByTestId('resume-queue').click();
      await page.getByTestId('error-message').filter({ hasText: 'The queue cannot go on yet' }).waitFor({ timeout: 10_000 });
      assert.equal(await rowStatus(page, 4), 'interrupted');
      await useRandomWeights(page);
      await page.getByTestId('resume-queue').click();
      for (const row of [4, 5, 6]) await waitForStatus(page, row, 'completed');
      assert.equal(await page.getByTestId('run-row').count(), 7);
      assert.equal(await page.getByTestId('queue').count(), 0, 'the finished queue is gone');
      const regimes = await page.getByTestId('run-row').allInnerTexts();
      process.stdout.write(`runs after the queue:\n${regimes.map((r) => r.replace(/\s+/g, ' ').trim()).join('\n')}\n`);
    },
  );

  test('"Delete run" and "Forget dataset" remove them from storage: after a reload they stay gone', { timeout: 120_000 }, async () => {
    const before = await page.getByTestId('storage-summary').innerText();
    await page.getByRole('button', { name: 'Delete run' }).nth(2).click();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="run-row"]').length === 6`, undefined, { timeout: 30_000 });
    await page.getByTestId('forget-dataset').click();
    await page
      .getByTestId('storage-summary')
      .getByText(/Dataset 0 B/)
      .waitFor({ timeout: 30_000 });
    const after = await page.getByTestId('storage-summary').innerText();
    process.stdout.write(`storage before: ${before}\nstorage after: ${after}\n`);
    assert.match(after, /· 6 runs/);
    await page.reload();
    await page
      .getByTestId('storage-summary')
      .getByText(/· 6 runs/)
      .waitFor({ timeout: 60_000 });
    assert.equal(await page.getByTestId('run-row').count(), 6);
    assert.equal(await page.getByTestId('dataset-summary').count(), 0, 'the forgotten dataset does not come back');
  });
});
