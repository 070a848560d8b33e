/**
 * What a person does in the app, in headless Chromium on the WASM backend: drop the mini FER2013
 * zip, start from random weights, train a linear probe and a second regime, compare them, export
 * both formats and load the exports back (TensorFlow.js in Node, PyTorch through
 * scripts/check-safetensors-export.py when torch is installed).
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { useWasmBackend } from '../../src/ml/testing/node-backend.ts';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { dropZip, ARTIFACTS, ROOT, datasetPath, missingDataset, screenshot, startApp, type AppHarness } from './helpers.ts';

/**
 * The zip a person drops: the real fer2013-mini.zip where EXPRESSION_LAB_DATASETS has it (always in
 * CI), else a generated zip of the same shape (7 classes × 60 train + 15 test, 48×48 gray), so the
 * whole flow still runs on a fresh clone.
 */
const MINI = (() => {
  const missing = missingDataset('fer2013-mini.zip');
  if (!missing) return { name: 'fer2013-mini.zip', bytes: readFileSync(datasetPath('fer2013-mini.zip')) };
  process.stdout.write(`ui.test.ts: using generated-mini.zip instead of the real data: ${missing}\n`);
  return { name: 'generated-mini.zip', bytes: Buffer.from(folderZip({ perClass: { train: 60, test: 15 } })) };
})();
const PYTHON = '/usr/bin/python3';
const FER_CLASSES = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise'];
const TRAIN_MS = 240_000;

// In-page scripts are plain strings: functions passed to the page would carry tsx's `__name` helper.

/** Records, in the page, every `train/epochEnded` the training worker posts (the UI does not show memory). */
const RECORD_WORKER_EPOCHS = `
  window.__epochEvents = [];
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'train/epochEnded') window.__epochEvents.push(e.data);
      });
    }
  };
`;

interface EpochEvent {
  readonly runId: string;
  readonly metrics: { readonly epoch: number };
  readonly memory: { readonly numTensors: number; readonly numBytes: number };
}

interface ChartSample {
  readonly t: number;
  readonly status: string | null;
  readonly points: number;
}

/**
 * Samples, every animation frame in the page, the points drawn on the loss and accuracy charts
 * (coordinates in the recharts curves plus dots) and the status of run row `row` (0-based), into
 * `window.__chartSamples`, until the run ends.
 */
const sampleCharts = (row: number) => `(() => {
  const samples = (window.__chartSamples = []);
  const ended = ['completed', 'failed', 'stopped', 'early-stopped'];
  const count = () => {
    let points = 0;
    for (const id of ['loss-chart', 'accuracy-chart']) {
      const chart = document.querySelector('[data-testid="' + id + '"]');
      if (!chart) continue;
      for (const p of chart.querySelectorAll('path.recharts-curve')) points += ((p.getAttribute('d') || '').match(/[ML]/g) || []).length;
      points += chart.querySelectorAll('.recharts-line-dot').length;
    }
    return points;
  };
  const tick = () => {
    const row = document.querySelectorAll('[data-testid="run-row"]')[${row}];
    const status = row ? row.getAttribute('data-status') : null;
    samples.push({ t: performance.now(), status, points: count() });
    if (!ended.includes(status)) requestAnimationFrame(tick);
  };
  tick();
})()`;

/**
 * Remembers, per canvas, which preview click last drew it (`putImageData`), so a test can wait until
 * every canvas of the augmentation grid shows the reply to its own click.
 */
const TRACK_CANVAS_DRAWS = `(() => {
  if (window.__drawnBy) return;
  window.__drawnBy = new WeakMap();
  window.__previewClick = 0;
  const put = CanvasRenderingContext2D.prototype.putImageData;
  CanvasRenderingContext2D.prototype.putImageData = function (...args) {
    window.__drawnBy.set(this.canvas, window.__previewClick);
    return put.apply(this, args);
  };
})()`;

const PREVIEW_GRID = '[aria-label="Augmented samples"]';

/** Clicks the augmentation "Preview" and returns each canvas of the grid as a data URL, once all are drawn for this click. */
async function previewDataUrls(page: Page): Promise<string[]> {
  const group = page.getByRole('group', { name: /^Augmentation/ });
  const click = await page.evaluate('++window.__previewClick');
  await group.getByRole('button', { name: 'Preview' }).click();
  await page.waitForFunction(
    `(() => {
      const group = [...document.querySelectorAll('fieldset')]
        .find((f) => f.querySelector('legend')?.textContent.startsWith('Augmentation'));
      const button = group && [...group.querySelectorAll('button')]
        .find((b) => b.textContent === 'Preview' || b.textContent === 'Drawing…');
      const canvases = group ? [...group.querySelectorAll('${PREVIEW_GRID} canvas')] : [];
      return button && !button.disabled && button.textContent === 'Preview' && canvases.length > 0 &&
        canvases.every((c) => window.__drawnBy.get(c) === ${click});
    })()`,
    undefined,
    { timeout: 60_000, polling: 50 },
  );
  return page.evaluate(`[...document.querySelectorAll('${PREVIEW_GRID} canvas')].map((c) => c.toDataURL())`) as Promise<string[]>;
}

/**
 * The loss chart's y-axis tick labels and curve paths (`d`). Recharts 3 draws the tick labels in a
 * z-index layer, outside the `.recharts-yAxis` group, hence the `-tick-labels` group.
 */
const LOSS_CHART_STATE = `(() => {
  const chart = document.querySelector('[data-testid="loss-chart"]');
  if (!chart) return { ticks: [], paths: [] };
  const ticks = [...chart.querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')].map((t) => t.textContent);
  const paths = [...chart.querySelectorAll('path.recharts-curve')].map((p) => p.getAttribute('d') || '');
  return { ticks, paths };
})()`;

/** Waits until run row `row` (0-based) has ended and returns its status; reports the app's messages if it failed. */
async function waitForRunEnd(page: Page, row: number): Promise<string> {
  const handle = await page.waitForFunction(
    `(() => {
      const status = document.querySelectorAll('[data-testid="run-row"]')[${row}]?.getAttribute('data-status');
      return ['completed', 'failed', 'stopped', 'early-stopped'].includes(status) ? status : false;
    })()`,
    undefined,
    { timeout: TRAIN_MS, polling: 500 },
  );
  const status = (await handle.jsonValue()) as string;
  if (status !== 'completed') {
    const messages = await page.getByTestId('error-message').allInnerTexts();
    assert.fail(`run ${row + 1} ended ${status}: ${messages.join(' | ') || 'no message shown'}`);
  }
  return status;
}

/** The chart samples of the run just ended show at least one frame, while it ran, with more points than the one before. */
async function assertChartsGrewWhileRunning(page: Page): Promise<void> {
  const samples = await page.evaluate(() => (window as unknown as { __chartSamples: ChartSample[] }).__chartSamples);
  const running = samples.filter((s) => s.status === 'running');
  assert.ok(running.length >= 2, `only ${running.length} frames were sampled while the run was running`);
  const increases = running.filter((s, i) => i > 0 && s.points > (running[i - 1]?.points ?? Infinity)).length;
  assert.ok(increases > 0, `the charts never gained points while running: ${JSON.stringify(running.map((s) => s.points))}`);
  const counts = running.map((s) => s.points);
  process.stdout.write(`charts while running: ${running.length} frames, ${increases} increases, points ${counts[0]} → ${counts.at(-1)}\n`);
}

/** Decodes JPEG bytes in the page exactly as Try it does (canvas, RGB), for the Node-side model. */
async function decodeInPage(page: Page, bytes: Buffer): Promise<{ width: number; height: number; pixels: number[] }> {
  return page.evaluate(async (b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([data], { type: 'image/jpeg' }));
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
    ctx.drawImage(bitmap, 0, 0);
    const rgba = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    const pixels: number[] = [];
    for (let i = 0; i < rgba.length; i += 4) pixels.push(rgba[i] ?? 0, rgba[i + 1] ?? 0, rgba[i + 2] ?? 0);
    return { width: bitmap.width, height: bitmap.height, pixels };
  }, bytes.toString('base64'));
}

/** Class → probability as the Try it panel shows them ("12.3 %"). */
async function shownProbabilities(page: Page): Promise<Record<string, number>> {
  const items = await page.getByTestId('probabilities').locator('li').allInnerTexts();
  return Object.fromEntries(
    items.map((text) => {
      const m = /^\s*(\S+)\s+([\d.]+)\s*%\s*$/s.exec(text.replace(/\n/g, ' '));
      assert.ok(m, `unexpected probability line: ${JSON.stringify(text)}`);
      return [m[1] as string, Number(m[2]) / 100];
    }),
  );
}

const argmax = (xs: readonly number[]): number =>
  xs.reduce((best: number, x: number, i: number) => (x > (xs[best] ?? -Infinity) ? i : best), 0);

function torchAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch, torchvision'], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    return true;
  } catch {
    return false;
  }
}

describe('a person trains, compares and exports in the app (headless Chromium, WASM)', () => {
  let app: AppHarness;
  let page: Page;
  let dir: string;
  const started = Date.now();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'expression-lab-ui-'));
    app = await startApp();
    await app.browser.context.addInitScript({ content: RECORD_WORKER_EPOCHS });
    page = await app.open();
    await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`ui.test.ts took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  test(`dropping ${MINI.name} on the drop zone shows 7 classes, 378 train, 42 validation, 105 test`, async () => {
    await dropZip(page, MINI.name, MINI.bytes);
    const summary = page.getByTestId('dataset-summary');
    await summary.waitFor({ timeout: 120_000 });
    assert.match(await summary.innerText(), new RegExp(`${MINI.name.replace('.', '\\.')} · zip · 7 classes`));
    const totals = Object.fromEntries(
      (await summary.locator('dl > div').allInnerTexts()).map((t) => {
        const [name, value] = t.split('\n').map((s) => s.trim());
        return [name, Number((value ?? '').replace(/,/g, ''))];
      }),
    );
    assert.deepEqual(totals, { Train: 378, Validation: 42, Test: 105 });
    assert.equal(totals.Train + totals.Validation, 420);
    await screenshot(page, 'ui-1-dataset-loaded');
  });

  test('"Use random initialisation" loads weights that say they are not pretrained', async () => {
    await page.getByRole('button', { name: 'Use random initialisation' }).click();
    const status = page.getByTestId('weights-status');
    await status
      .locator('strong')
      .getByText(/not pretrained/i)
      .waitFor({ timeout: 120_000 });
    assert.equal(await status.locator('strong').innerText(), 'Random initialisation — not pretrained');
    assert.doesNotMatch(await status.innerText(), /ImageNet-pretrained/);
    assert.match(await status.innerText(), /M parameters/);
    const note = page.getByTestId('random-init-note');
    await note.waitFor({ timeout: 10_000 });
    assert.match(
      await note.innerText(),
      /not pretrained.*linear probe.*learns next to nothing/s,
      'the regime panel says what random weights mean',
    );
  });

  test('the augmentation preview draws 12 samples: same seed, same pixels; a toggle or another seed changes them', async () => {
    await page.evaluate(TRACK_CANVAS_DRAWS);
    const group = page.getByRole('group', { name: /^Augmentation/ });
    const toggles = ['Horizontal flip', 'Rotation', 'Perspective'].map((name) => group.getByRole('checkbox', { name, exact: true }));
    for (const toggle of toggles) {
      assert.equal(await toggle.isChecked(), false, 'augmentations start off');
      await toggle.check();
    }
    const first = await previewDataUrls(page);
    assert.equal(first.length, 12, 'canvases in the preview grid');
    assert.equal(
      await page
        .locator(PREVIEW_GRID)
        .getByRole('img', { name: /^Augmented sample \d+$/ })
        .count(),
      12,
    );
    assert.ok(new Set(first).size > 1, 'the 12 previews are not all the same picture');
    const again = await previewDataUrls(page);
    assert.deepEqual(again, first, 'a second preview with the same seed and settings draws the same pixels');

    const rotation = toggles[1] as (typeof toggles)[number];
    await rotation.uncheck();
    const noRotation = await previewDataUrls(page);
    assert.equal(noRotation.length, 12);
    assert.notDeepEqual(noRotation, first, 'turning rotation off changes the previews');
    await rotation.check();
    assert.deepEqual(await previewDataUrls(page), first, 'turning rotation back on draws the first previews again');

    const seedField = page.getByRole('group', { name: 'Training settings' }).getByLabel('Seed', { exact: true });
    const seed = await seedField.inputValue();
    await seedField.fill(String(Number(seed) + 1));
    await seedField.blur();
    const otherSeed = await previewDataUrls(page);
    assert.equal(otherSeed.length, 12);
    assert.notDeepEqual(otherSeed, first, 'another seed draws other previews');
    await seedField.fill(seed);
    await seedField.blur();
    assert.equal(await seedField.inputValue(), seed);
    assert.deepEqual(await previewDataUrls(page), first, 'the first seed again draws the first previews');

    // The training runs below are without augmentation.
    for (const toggle of toggles) {
      await toggle.uncheck();
      assert.equal(await toggle.isChecked(), false);
    }
    await group.screenshot({ path: join(ARTIFACTS, 'ui-augmentation-preview.png') });
  });

  test('a 2-epoch linear probe at 48 px: the charts gain points while it runs, and it completes', async () => {
    await page.getByLabel('Input size').selectOption('48');
    await page.getByRole('radio', { name: /^Linear probe/ }).check();
    await page.getByLabel('Batch size').selectOption('32');
    await page.getByLabel('Epochs', { exact: true }).fill('2');
    await page.getByLabel('Epochs', { exact: true }).blur();
    const start = page.getByTestId('start');
    assert.equal(await start.innerText(), 'Start: Linear probe');
    await start.click();
    await page.getByTestId('run-row').first().waitFor({ timeout: 30_000 });
    await page.evaluate(sampleCharts(0));
    await waitForRunEnd(page, 0);
    await assertChartsGrewWhileRunning(page);
    // 2 validation dots per chart, once the run has finished.
    for (const id of ['loss-chart', 'accuracy-chart'])
      assert.equal(await page.getByTestId(id).locator('.recharts-line-dot').count(), 2, id);
  });

  test('the worker reports the same number of live tensors after epoch 2 as after epoch 1 (no leak per epoch)', async () => {
    const events = await page.evaluate(() => (window as unknown as { __epochEvents: EpochEvent[] }).__epochEvents);
    assert.deepEqual(
      events.map((e) => e.metrics.epoch),
      [1, 2],
    );
    const [first, second] = events as [EpochEvent, EpochEvent];
    assert.ok(first.memory.numTensors > 0);
    process.stdout.write(`worker numTensors after epochs 1, 2: ${first.memory.numTensors}, ${second.memory.numTensors}\n`);
    assert.equal(
      second.memory.numTensors,
      first.memory.numTensors,
      `numTensors after epoch 1: ${first.memory.numTensors}, after 2: ${second.memory.numTensors}`,
    );
  });

  test('the loss chart’s "Log scale" is on by default, and unticking it keeps the curves drawn on a linear axis', async () => {
    type ChartState = { ticks: string[]; paths: string[] };
    const drawn = (paths: string[]) => paths.length > 0 && paths.every((d) => /^M[\d.-]/.test(d) && !/NaN|Infinity/.test(d));
    const chart = page.getByTestId('loss-chart');
    const logScale = chart.getByRole('checkbox', { name: 'Log scale' });
    assert.equal(await logScale.isChecked(), true, 'Log scale is checked by default');
    const onLog = (await page.evaluate(LOSS_CHART_STATE)) as ChartState;
    assert.ok(onLog.ticks.length > 0 && !onLog.ticks.includes('0'), `log axis ticks: ${JSON.stringify(onLog.ticks)}`);
    assert.ok(drawn(onLog.paths), `curves on the log axis: ${onLog.paths.join(' | ')}`);

    await logScale.uncheck();
    assert.equal(await logScale.isChecked(), false);
    // Until the chart has re-rendered on a linear axis (0 is a linear tick, never a log one); the assertions below say what is wrong.
    await page
      .waitForFunction(
        `(() => {
          const { ticks, paths } = ${LOSS_CHART_STATE};
          return ticks.includes('0') && paths.length > 0 && paths.every((d) => /^M[\\d.-]/.test(d) && !/NaN|Infinity/.test(d));
        })()`,
        undefined,
        { timeout: 10_000 },
      )
      .catch(() => undefined);
    const onLinear = (await page.evaluate(LOSS_CHART_STATE)) as ChartState;
    assert.ok(onLinear.ticks.includes('0'), `linear axis ticks: ${JSON.stringify(onLinear.ticks)} (log: ${JSON.stringify(onLog.ticks)})`);
    assert.ok(drawn(onLinear.paths), `curves on a linear axis: ${onLinear.paths.join(' | ')}`);
    assert.equal(onLinear.paths.length, onLog.paths.length, 'the same curves on both axes');
    assert.equal(await chart.locator('.recharts-line-dot').count(), 2, 'both validation dots stay drawn');
    process.stdout.write(`loss y ticks: log ${JSON.stringify(onLog.ticks)}, linear ${JSON.stringify(onLinear.ticks)}\n`);

    // Back to the default for the rest of the test.
    await logScale.check();
    await page.waitForFunction(`JSON.stringify(${LOSS_CHART_STATE}.ticks) === ${JSON.stringify(JSON.stringify(onLog.ticks))}`, undefined, {
      timeout: 10_000,
    });
  });

  test('a second regime (discriminative, 1 epoch, batch 32) completes and the table compares both runs', async () => {
    await page.getByRole('radio', { name: /^Discriminative learning rates/ }).check();
    await page.getByLabel('Batch size').selectOption('32');
    await page.getByLabel('Epochs', { exact: true }).fill('1');
    await page.getByLabel('Epochs', { exact: true }).blur();
    const start = page.getByTestId('start');
    await start.waitFor({ state: 'visible' });
    assert.equal(await start.innerText(), 'Start: Discriminative learning rates');
    await start.click();
    await page.getByTestId('run-row').nth(1).waitFor({ timeout: 30_000 });
    await page.evaluate(sampleCharts(1));
    // What a person sees mid-run: once the first per-batch points of run 2 are drawn.
    await page.waitForFunction(
      () => {
        const samples = (window as unknown as { __chartSamples: ChartSample[] }).__chartSamples;
        return samples.some((s) => s.status === 'running' && s.points > (samples[0]?.points ?? 0));
      },
      undefined,
      { timeout: TRAIN_MS, polling: 100 },
    );
    await screenshot(page, 'ui-2-training');
    // Meanwhile the finished run 1 stays exportable: one snapshot of the page, so "while run 2 trains" holds for every part.
    const midRun = (await page.evaluate(`(() => {
      const label = [...document.querySelectorAll('label')].find((l) => l.textContent === 'Run to export');
      const picker = label && document.getElementById(label.htmlFor);
      const button = document.querySelector('[data-testid="export-tfjs"]');
      return {
        run2: document.querySelectorAll('[data-testid="run-row"]')[1]?.getAttribute('data-status') ?? null,
        options: picker ? [...picker.options].map((o) => o.textContent) : null,
        selected: picker ? picker.options[picker.selectedIndex]?.textContent ?? null : null,
        exportDisabled: button ? button.disabled : null,
      };
    })()`)) as { run2: string | null; options: string[] | null; selected: string | null; exportDisabled: boolean | null };
    assert.equal(midRun.run2, 'running', `run 2 was not running during the export check: ${JSON.stringify(midRun)}`);
    assert.ok(
      midRun.options?.some((o) => /^Run 1 · Linear probe/.test(o)),
      `the Export run picker offers run 1: ${JSON.stringify(midRun)}`,
    );
    assert.match(midRun.selected ?? '', /^Run 1 · Linear probe/, 'the Export panel has run 1 picked');
    assert.equal(midRun.exportDisabled, false, 'export-tfjs is enabled for the finished run 1 while run 2 trains');
    await waitForRunEnd(page, 1);
    await assertChartsGrewWhileRunning(page);

    const rows = page.getByTestId('run-row');
    assert.equal(await rows.count(), 2);
    const expected = [
      {
        regime: 'Linear probe (cached features)\nbackbone frozen · fc 0.005',
        settings: /bs 32 · 2 ep · 48 px/,
        bestEpoch: /^[12]$/,
      },
      {
        regime: 'Discriminative learning rates\nbackbone 0.001 · fc 0.01',
        settings: /bs 32 · 1 ep · 48 px/,
        bestEpoch: /^1$/,
      },
    ];
    for (const [i, want] of expected.entries()) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      assert.equal(cells[1]?.trim(), String(i + 1), `row ${i} run number`);
      assert.equal(cells[2], want.regime, `row ${i}: the regime its rates match, and the rates`);
      assert.match(cells[3] ?? '', /^\d{1,3}\.\d %$/, `row ${i} best validation accuracy: ${cells[3]}`);
      assert.match(cells[4] ?? '', want.bestEpoch);
      assert.match(cells[5] ?? '', /^\d{1,3}\.\d %$/, `row ${i} final validation accuracy: ${cells[5]}`);
      assert.match(cells[6] ?? '', /\d+ (ms|s|min)/, `row ${i} time: ${cells[6]}`);
      assert.equal(cells[7], 'completed');
      assert.match(cells[8] ?? '', want.settings);
    }
    await screenshot(page, 'ui-3-two-runs');
  });

  test('the confusion matrix of the focused run counts all 42 validation images', async () => {
    const matrix = page.getByTestId('confusion-matrix');
    await matrix.waitFor();
    const counts = (await matrix.locator('tbody button').allInnerTexts()).map(Number);
    assert.equal(counts.length, 49);
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      42,
    );
    await page.getByRole('region', { name: /^Evaluation/ }).screenshot({ path: join(ARTIFACTS, 'ui-4-confusion-matrix.png') });
  });

  describe('exports of run 2 load back and predict what the app predicts', () => {
    const images: { name: string; bytes: Buffer }[] = [];
    let tfjsLogits: number[][] = [];
    let decoded: { width: number; height: number; pixels: number[] }[] = [];

    before(() => {
      const zip = unzipSync(new Uint8Array(MINI.bytes));
      // One test image of each of the first four classes.
      for (const cls of FER_CLASSES.slice(0, 4)) {
        const entry = Object.entries(zip).find(([path]) => path.startsWith(`test/${cls}/`) && /\.(jpg|png)$/.test(path));
        assert.ok(entry, `no test image of ${cls} in the zip`);
        images.push({
          name: entry[0].split('/').pop() as string,
          bytes: Buffer.from(entry[1]),
        });
      }
    });

    test('the TensorFlow.js zip holds model.json, weights.bin and expression-lab.json, and gives the app’s probabilities', async () => {
      const runPicker = page.getByRole('region', { name: 'Export' }).getByLabel('Run to export');
      assert.match(await runPicker.locator('option:checked').innerText(), /^Run 2 · Discriminative/);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('export-tfjs').click()]);
      assert.equal(download.suggestedFilename(), 'run-2-discriminative-tfjs.zip');
      const zipPath = join(dir, download.suggestedFilename());
      await download.saveAs(zipPath);
      const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
      assert.deepEqual(Object.keys(files).sort(), ['expression-lab.json', 'model.json', 'weights.bin']);
      const text = (name: string) => new TextDecoder().decode(files[name]);
      const card = JSON.parse(text('expression-lab.json')) as {
        classes: string[];
        preprocessing: {
          inputSize: number[];
          scale: string;
          mean: number[];
          std: number[];
        };
      };
      assert.deepEqual(card.classes, FER_CLASSES);
      assert.deepEqual(card.preprocessing.inputSize, [48, 48]);
      const scale = Number(card.preprocessing.scale.split(' ').at(-1));
      assert.equal(scale, 255);

      // The app's own predictions, through Try it (the same run, focused).
      const tryIt = page.getByRole('region', { name: 'Try it' });
      const appProbabilities: Record<string, number>[] = [];
      for (const image of images) {
        // Mark the shown result: a new prediction unmounts it ("Classifying…") and mounts a fresh list.
        await page.evaluate(() => document.querySelector('[data-testid="probabilities"]')?.setAttribute('data-seen', ''));
        await tryIt.locator('input[type=file]').setInputFiles({
          name: image.name,
          mimeType: 'image/jpeg',
          buffer: image.bytes,
        });
        await page.locator('[data-testid="probabilities"]:not([data-seen])').waitFor({ timeout: 60_000 });
        appProbabilities.push(await shownProbabilities(page));
        await tryIt.locator('input[type=file]').setInputFiles([]);
      }

      // The exported model, in Node on tfjs' wasm backend, preprocessed as the model card says.
      await useWasmBackend();
      const modelJson = JSON.parse(text('model.json')) as {
        modelTopology: object;
        weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
      };
      const weights = files['weights.bin'] as Uint8Array;
      const model = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: modelJson.modelTopology,
          weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
          weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
        }),
      );
      decoded = [];
      for (const image of images) decoded.push(await decodeInPage(page, image.bytes));
      tfjsLogits = [];
      for (const [i, image] of decoded.entries()) {
        assert.deepEqual([image.height, image.width], card.preprocessing.inputSize);
        const logits = tf.tidy((): tf.Tensor => {
          const pixels = tf.tensor4d(image.pixels, [1, image.height, image.width, 3], 'float32');
          const x = tf.div(tf.sub(tf.div(pixels, scale), tf.tensor1d(card.preprocessing.mean)), tf.tensor1d(card.preprocessing.std));
          return model.predict(x) as tf.Tensor;
        });
        const row = Array.from(await logits.data());
        logits.dispose();
        tfjsLogits.push(row);
        const probabilities = Array.from(await tf.tidy(() => tf.softmax(tf.tensor1d(row))).data());
        const shown = appProbabilities[i] as Record<string, number>;
        assert.deepEqual(Object.keys(shown).sort(), FER_CLASSES, `Try it lists every class for ${images[i]?.name}`);
        const shownVector = FER_CLASSES.map((c) => shown[c] as number);
        // Try it shows 0.1 % steps: the exported model must agree to within that rounding.
        for (const [c, p] of probabilities.entries()) {
          assert.ok(
            Math.abs(p - (shownVector[c] as number)) <= 0.0006,
            `${images[i]?.name} ${FER_CLASSES[c]}: exported model ${p.toFixed(4)}, app shows ${shownVector[c]}`,
          );
        }
        const appTop = argmax(shownVector);
        if ((shownVector[appTop] as number) - Math.max(...shownVector.filter((_, k) => k !== appTop)) > 0.0015) {
          assert.equal(FER_CLASSES[argmax(probabilities)], FER_CLASSES[appTop], `top class of ${images[i]?.name}`);
        }
      }
      model.dispose();
      process.stdout.write(`tfjs export: logits ${JSON.stringify(tfjsLogits.map((r) => r.map((v) => +v.toFixed(3))))}\n`);
      await screenshot(page, 'ui-5-try-it');
    });

    test('the .safetensors loads into torchvision resnet50(num_classes=7), strict, and gives the tfjs logits', async (t) => {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 120_000 }),
        page.getByTestId('export-safetensors').click(),
      ]);
      assert.match(download.suggestedFilename(), /^run-\d+-[a-z-]+\.safetensors$/, 'the download is named after its run');
      const path = join(dir, 'model.safetensors');
      await download.saveAs(path);
      const bytes = readFileSync(path);
      const headerLength = Number(bytes.readBigUInt64LE(0));
      const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { shape?: number[] }>;
      assert.deepEqual(header['fc.weight']?.shape, [7, 2048]);

      if (!torchAvailable()) {
        process.stdout.write('SKIPPED: torch not installed, safetensors export not checked\n');
        t.skip('SKIPPED: torch not installed, safetensors export not checked');
        return;
      }
      // The image and logits of the tfjs test, when it got that far; the strict load is checked either way.
      const first = decoded[0];
      const expected = tfjsLogits[0];
      const pixelsPath = join(dir, 'pixels.json');
      if (first) writeFileSync(pixelsPath, JSON.stringify(first));
      const script = join(ROOT, 'scripts', 'check-safetensors-export.py');
      const { stdout } = await promisify(execFile)(PYTHON, [script, path, '--classes', '7', ...(first ? ['--pixels', pixelsPath] : [])], {
        timeout: 180_000,
        maxBuffer: 16 << 20,
      });
      const out = JSON.parse(stdout) as { ok: boolean; classes: number; classNames: string[]; zerosLogits: number[]; logits?: number[] };
      assert.equal(out.ok, true);
      assert.equal(out.classes, 7);
      assert.deepEqual(out.classNames, FER_CLASSES);
      assert.equal(out.zerosLogits.length, 7);
      assert.ok(expected && out.logits, 'the tfjs export test did not leave logits to compare with');
      const scale = Math.max(...expected.map(Math.abs));
      for (const [c, v] of out.logits.entries()) {
        assert.ok(
          Math.abs(v - (expected[c] as number)) <= 1e-3 * scale + 1e-5,
          `logit ${FER_CLASSES[c]}: torch ${v}, tfjs ${expected[c]} (max |logit| ${scale})`,
        );
      }
    });
  });
});
