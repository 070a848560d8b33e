/**
 * Seeing inside a run, in the built app in headless Chromium on WASM: one tiny fine-tune (7 classes,
 * 48 px, batch 16, 2 epochs) is trained once, then every inspection tool is used on it: Grad-CAM in
 * Try it and behind a confusion cell, top losses, block movement, the LR range test, the report, and `lab predict --cam` on its exported weights. Sizes are tiny to keep CI short.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { drawnFaces, folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { encodePng } from '../../src/data/testing/png.ts';
import { dropZip, lab, screenshot, startApp, type AppHarness, useRandomWeights } from './helpers.ts';

const EPOCHS = 2;
const SETTINGS = `?backend=wasm#regime=finetune&lr=0.001,0.001,0.001,0.001,0.001,0.001,0.01&batch=16&epochs=${EPOCHS}&size=48&seed=3`;
const RUN_MS = 300_000;

/** How many pixels of the Grad-CAM canvas in panel `panel` (its heading id) are coloured (not gray), and how many it has. */
const gradCamPixels = (panel: string) => `(() => {
  const canvas = document.querySelector('section[aria-labelledby="${panel}-title"] [data-testid="gradcam"]');
  if (!canvas) return null;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2]) coloured++;
  return { coloured, total: data.length / 4, opacity: Number(canvas.dataset.opacity), label: canvas.getAttribute('aria-label') };
})()`;

interface PredictLine {
  readonly name: string;
  readonly top: { readonly index: number; readonly label: string };
  readonly cam: { readonly classIndex: number; readonly label: string; readonly map: number[][] };
  readonly overlay: string;
}

interface GradCamPixels {
  readonly coloured: number;
  readonly total: number;
  readonly opacity: number;
  readonly label: string;
}

async function dropDataset(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  await dropZip(page, name, bytes);
  await page.getByTestId('dataset-summary').waitFor({ timeout: 120_000 });
}

/** The block movement table's first run column: block → value as shown. */
async function movementTable(page: Page): Promise<Record<string, string>> {
  const rows = await page
    .getByTestId('block-movement-table')
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
  return Object.fromEntries(rows);
}

async function waitForGradCam(page: Page, panel: string, predicate: string): Promise<GradCamPixels> {
  const handle = await page.waitForFunction(
    `(() => { const p = ${gradCamPixels(panel)}; return p && (${predicate}) ? p : false; })()`,
    undefined,
    {
      timeout: 60_000,
      polling: 100,
    },
  );
  return (await handle.jsonValue()) as GradCamPixels;
}

describe('inside a run (headless Chromium, WASM)', () => {
  let app: AppHarness;
  let page: Page;
  let dir: string;
  let afterFirstEpoch: Record<string, string>;
  const started = Date.now();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'expression-lab-insight-'));
    app = await startApp();
    page = await app.open(SETTINGS);
    await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
    await dropDataset(page, 'tiny.zip', folderZip({ perClass: { train: 3, val: 1, test: 1 } }));
    await useRandomWeights(page);
    await page.getByTestId('start').click();
    // The block movement chart of the run in training gains a point per epoch.
    await page.waitForFunction(`document.querySelector('[data-testid="block-movement-chart"]')?.dataset.epochs === '1'`, undefined, {
      timeout: RUN_MS,
      polling: 250,
    });
    afterFirstEpoch = await movementTable(page);
    await page.waitForFunction(
      `document.querySelector('[data-testid="run-row"]')?.getAttribute('data-status') === 'completed'`,
      undefined,
      { timeout: RUN_MS, polling: 500 },
    );
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`insight.test.ts took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  });

  test('block movement: a point per epoch for every block, growing, stored with the run and in its metrics CSV', async () => {
    const BLOCKS = ['conv1+bn1', 'layer1', 'layer2', 'layer3', 'layer4', 'fc'];
    assert.deepEqual(Object.keys(afterFirstEpoch), BLOCKS);
    const chart = page.getByTestId('block-movement-chart');
    assert.equal(await chart.getAttribute('data-epochs'), String(EPOCHS), 'one point per finished epoch');
    assert.equal(await chart.locator('.recharts-line').count(), BLOCKS.length, 'one line per block');
    const final = await movementTable(page);
    for (const block of BLOCKS) {
      const [first, last] = [Number(afterFirstEpoch[block]), Number(final[block])];
      assert.ok(first > 0 && last > first, `${block} moves, further after epoch 2 (${first} → ${last})`);
    }
    await page.locator('#export-title').scrollIntoViewIfNeeded();
    const [download] = await Promise.all([
      page.waitForEvent('download', { predicate: (d) => d.suggestedFilename().endsWith('.csv'), timeout: 60_000 }),
      page.getByTestId('export-metrics').click(),
    ]);
    const csvPath = join(dir, 'metrics.csv');
    await download.saveAs(csvPath);
    const [header, ...rows] = readFileSync(csvPath, 'utf8').trim().split('\n');
    const columns = header?.split(',') ?? [];
    const epochs = rows.filter((row) => row.startsWith('epoch,')).map((row) => row.split(','));
    const value = (row: string[] | undefined, name: string) => Number(row?.[columns.indexOf(name)]);
    assert.equal(epochs.length, EPOCHS);
    assert.equal(value(epochs[1], 'moved_fc').toPrecision(3), Number(final.fc).toPrecision(3), 'the CSV holds what the chart shows');
    for (const row of epochs) {
      const cost = value(row, 'movement_ms');
      const wall = value(row, 'wall_ms');
      assert.ok(cost >= 0 && cost < wall, `measuring (${cost} ms) is part of the epoch (${wall} ms)`);
      process.stdout.write(
        `block movement cost, epoch ${row[1]}: ${cost.toFixed(1)} ms of a ${wall} ms epoch (${((100 * cost) / wall).toFixed(2)} %)\n`,
      );
    }
    await screenshot(page, 'insight-0-block-movement');
  });

  test('Try it draws a Grad-CAM heat map for the predicted class, another class, and fades it with the opacity slider', async () => {
    const face = join(dir, 'face.png');
    writeFileSync(face, encodePng(48, 48, 1, drawnFaces(1, 99)[3]?.[0] as Uint8Array));
    await page.locator('#try-it-title').scrollIntoViewIfNeeded();
    await page.getByText('Choose an image…').locator('input[type=file]').setInputFiles(face);
    const predicted = await waitForGradCam(page, 'try-it', 'p.coloured > 0');
    assert.equal(predicted.total, 48 * 48, 'the map covers the 48 px input the model saw');
    assert.ok(
      predicted.coloured > predicted.total / 2,
      `the heat map colours the image (${predicted.coloured} of ${predicted.total} pixels)`,
    );
    const picker = page.getByLabel('Class the heat map explains');
    await picker.selectOption('6');
    const other = await waitForGradCam(page, 'try-it', "p.label.endsWith('for surprise')");
    assert.ok(other.label !== predicted.label || predicted.label.endsWith('surprise'));
    await page.getByLabel('Heat map opacity').fill('0');
    const faded = await waitForGradCam(page, 'try-it', 'p.opacity === 0');
    assert.equal(faded.coloured, 0, 'at opacity 0 only the (gray) face is left');
    await screenshot(page, 'insight-1-gradcam-try-it');
  });

  test('a misclassified image behind a confusion cell shows its heat map', async () => {
    await page.locator('#evaluation-title').scrollIntoViewIfNeeded();
    // Off the diagonal when the model got something wrong, else the first non-empty cell.
    const matrix = page.getByTestId('confusion-matrix');
    const wrong = matrix.locator('button:not([disabled])[aria-label^="True "]').filter({ hasNotText: /^$/ });
    const offDiagonal = await wrong.evaluateAll((cells) =>
      cells.findIndex((c) => {
        const [, t, p] = /^True (\w+), predicted (\w+)/.exec(c.getAttribute('aria-label') ?? '') ?? [];
        return t !== p;
      }),
    );
    const cell = wrong.nth(Math.max(0, offDiagonal));
    const [, predicted] = /predicted (\w+)/.exec((await cell.getAttribute('aria-label')) ?? '') ?? [];
    await cell.click();
    const thumb = page.getByRole('button', { name: /^Image 1: true/ });
    await thumb.click();
    const cam = await waitForGradCam(page, 'evaluation', 'p.coloured > 0');
    assert.equal(cam.total, 48 * 48);
    assert.ok(cam.label.endsWith(`for ${predicted}`), `the map explains the cell's predicted class first (${cam.label})`);
    await screenshot(page, 'insight-2-gradcam-cell');
  });

  test('top losses rank the test images by loss, flag confident wrong answers, and export as CSV', async () => {
    await page.locator('#top-losses-title').scrollIntoViewIfNeeded();
    await page.getByLabel('Split to rank').selectOption('test');
    await page.getByTestId('top-losses-find').click();
    await page.getByTestId('top-losses-summary').waitFor({ timeout: 120_000 });
    const items = await page.getByTestId('top-loss').evaluateAll((nodes) =>
      nodes.map((n) => ({
        loss: Number(n.getAttribute('data-loss')),
        suspect: n.getAttribute('data-suspect') === 'true',
        text: n.textContent ?? '',
      })),
    );
    assert.equal(items.length, 7, 'all 7 test images (fewer than the 24 shown)');
    for (let i = 1; i < items.length; i++) assert.ok((items[i - 1]?.loss ?? 0) >= (items[i]?.loss ?? 0), 'highest loss first');
    for (const item of items) {
      const [, label, predicted, percent] = /labelled (\w+)predicted (\w+) (\d+) %/.exec(item.text) ?? [];
      assert.ok(label && predicted, `an item names its label and prediction: ${item.text}`);
      assert.equal(item.suspect, label !== predicted && Number(percent) >= 80, `flag follows the rule: ${item.text}`);
    }
    const summary = await page.getByTestId('top-losses-summary').textContent();
    assert.match(summary ?? '', new RegExp(`of 7 test images .* ${items.filter((i) => i.suspect).length} likely mislabelled`));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('top-losses-csv').click()]);
    const csvPath = join(dir, 'top-losses.csv');
    await download.saveAs(csvPath);
    const rows = readFileSync(csvPath, 'utf8').trim().split('\n');
    assert.equal(rows[0], 'path,true,predicted,probability,loss,true_probability,likely_mislabelled');
    assert.equal(rows.length, 8);
    assert.deepEqual(
      rows.slice(1).map((row) => Number(row.split(',')[4]).toFixed(3)),
      items.map((item) => item.loss.toFixed(3)),
      'the CSV lists the same images in the same order',
    );
    assert.ok(
      rows.slice(1).every((row) => row.startsWith('test/')),
      'paths are the dataset paths',
    );
    await screenshot(page, 'insight-3-top-losses');
  });

  test('the LR range test plots loss against rate, and Apply scales the regime to a suggestion keeping its ratios', async () => {
    await page.locator('#lr-finder-title').scrollIntoViewIfNeeded();
    const panel = page.locator('section[aria-labelledby="lr-finder-title"]');
    await panel.getByLabel('batches').fill('8');
    await page.getByTestId('lr-find').click();
    const curve = page.getByTestId('lr-curve');
    await curve.waitFor({ timeout: 120_000 });
    const points = Number(await curve.getAttribute('data-points'));
    assert.ok(points >= 2 && points <= 8, `at most 8 batches plotted (${points})`);
    assert.match((await page.getByTestId('lr-summary').textContent()) ?? '', new RegExp(`^${points} batches`));
    const apply = page.getByTestId('lr-apply-steepest');
    const suggested = Number(await apply.getAttribute('data-lr'));
    assert.ok(suggested > 0, 'a steepest-descent suggestion');
    await apply.click();
    const rate = async (block: string) =>
      Number(await page.locator('section[aria-labelledby="regime-title"]').getByLabel(block, { exact: true }).inputValue());
    const [fc, layer3] = [await rate('fc'), await rate('layer3')];
    assert.equal(fc, Number(suggested.toPrecision(3)), 'the largest group gets the suggestion');
    assert.ok(Math.abs(layer3 / fc - 0.1) < 1e-9, `the backbone keeps its ratio to fc (${layer3} / ${fc})`);
    await screenshot(page, 'insight-4-lr-finder');
  });

  test('the report is one offline HTML file with the run, and lab report writes the same from the exported lab', async () => {
    await page.locator('#comparison-title').scrollIntoViewIfNeeded();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report').click()]);
    const reportPath = join(dir, 'report.html');
    await download.saveAs(reportPath);
    const html = readFileSync(reportPath, 'utf8');
    const viewer = await app.browser.context.newPage();
    const fetched: string[] = [];
    await viewer.route('**/*', (route) => {
      if (!route.request().url().startsWith('file:')) fetched.push(route.request().url());
      return route.request().url().startsWith('file:') ? route.continue() : route.abort();
    });
    await viewer.goto(`file://${reportPath}`);
    assert.equal(await viewer.locator('section.run').count(), 1, 'the one run of this session');
    assert.ok((await viewer.locator('section.run h2').textContent())?.startsWith('Run 1 · '));
    assert.ok((await viewer.locator('svg').count()) >= 3, 'loss, accuracy and block movement charts');
    assert.equal(await viewer.locator('section.run table.matrix tbody tr').count(), 7, 'the 7×7 confusion matrix');
    assert.deepEqual(fetched, [], 'nothing fetched from the network');
    await viewer.close();
    await page.locator('#storage-title').scrollIntoViewIfNeeded();
    const [labZip] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId('export-lab').click()]);
    const labPath = join(dir, 'lab.zip');
    await labZip.saveAs(labPath);
    const out = join(dir, 'cli-report.html');
    const { lines } = await lab(['report', labPath, '--out', out]);
    assert.deepEqual((lines[0] as { runs: number[] }).runs, [1]);
    const table = (text: string) => /<table class="data" data-section="comparison">.*?<\/table>/s.exec(text)?.[0];
    assert.ok(table(html), 'the page report has the comparison table');
    assert.equal(table(readFileSync(out, 'utf8')), table(html), 'lab report shows the same comparison as the page');
  });

  test('lab predict --cam writes an overlay PNG per image and prints each raw map at layer4 resolution', async () => {
    await page.locator('#export-title').scrollIntoViewIfNeeded();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.getByTestId('export-safetensors').click(),
    ]);
    const weights = join(dir, 'run.safetensors');
    await download.saveAs(weights);
    const faces = drawnFaces(2, 7);
    const images = [0, 1].map((i) => {
      const path = join(dir, `face-${i}.png`);
      writeFileSync(path, encodePng(48, 48, 1, faces[i]?.[0] as Uint8Array));
      return path;
    });
    const camDir = join(dir, 'cam');
    const { lines } = await lab(['predict', '--weights', weights, ...images, '--size', '64', '--cam', camDir, '--backend', 'wasm']);
    assert.equal(lines.length, 2, 'one JSON line per image');
    for (const [i, line] of (lines as PredictLine[]).entries()) {
      assert.equal(line.name, images[i]);
      assert.equal(line.cam.classIndex, line.top.index, 'the map explains the top class');
      assert.equal(line.cam.label, line.top.label);
      assert.deepEqual([line.cam.map.length, line.cam.map[0]?.length], [2, 2], 'layer4 of a 64 px input is 2×2');
      assert.ok(line.cam.map.flat().every((v) => v >= 0) && line.cam.map.flat().some((v) => v > 0), 'ReLU of a non-zero map');
      const png = readFileSync(line.overlay);
      assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')], `${line.overlay} is a PNG`);
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [64, 64], 'the overlay has the input size');
    }
  });
});
