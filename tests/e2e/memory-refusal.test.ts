/**
 * A run that cannot fit is refused before it starts (issue 20, part 2): the 224 px, batch 64 full
 * fine-tune on WASM is refused with its estimate, the heap's limit and the largest batch that fits;
 * that batch then trains. `lab train` refuses the same run with the same words and a non-zero exit.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ROOT, screenshot, startApp, type AppHarness, useRandomWeights } from './helpers.ts';

const SETTINGS = '?backend=wasm#regime=finetune&batch=64&epochs=1&size=224&seed=3';
const REFUSAL =
  /needs about [\d.]+ GB of memory at its peak, more than WASM has for it: [\d.]+ GB \(its heap ends at 4\.0 GB, .* is held already/;
const LARGEST = /The largest batch that fits at 224 px is (\d+); at batch 64 the largest input size that fits is (\d+) px\./;

/** Keeps the worker's train events in `window.__trainEvents` (an init script, so it sees the page's own worker). */
const WATCH_TRAINING = `
  window.__trainEvents = [];
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(url, options) {
      super(url, options);
      this.addEventListener('message', (e) => {
        const t = e.data && e.data.type;
        if (t === 'train/started' || t === 'train/batchEnded' || (t === 'error' && e.data.command === 'train/start'))
          window.__trainEvents.push({ type: t, batchSize: e.data.config && e.data.config.batchSize, memory: e.data.memory, at: performance.now() });
      });
    }
  };
`;

interface SeenEvent {
  type: string;
  batchSize?: number;
  memory?: { largestBatch: number };
  at: number;
}

const events = (page: Page) => page.evaluate(() => (window as unknown as { __trainEvents: SeenEvent[] }).__trainEvents);

describe('a run that cannot fit is refused before it starts (headless Chromium, WASM)', () => {
  let app: AppHarness;
  let page: Page;
  before(async () => {
    app = await startApp();
    await app.browser.context.addInitScript({ content: WATCH_TRAINING });
    page = await app.open(SETTINGS);
  });
  after(async () => app?.close());

  test('224 px, batch 64, full fine-tune: refused with the batch that fits, which then trains', { timeout: 300_000 }, async () => {
    await page.getByRole('button', { name: 'Use demo dataset' }).click();
    await useRandomWeights(page);
    const pressed = await page.evaluate(() => performance.now());
    await page.getByTestId('start').click();
    const refusal = page.getByTestId('memory-refusal');
    await refusal.waitFor({ timeout: 60_000 });
    const text = (await refusal.textContent()) ?? '';
    const [refused] = (await events(page)).filter((e) => e.type === 'error');
    process.stdout.write(`# refused ${((refused!.at - pressed) / 1000).toFixed(2)} s after Start: ${text}\n`);
    await screenshot(page, 'memory-refusal');
    assert.match(text, REFUSAL);
    const largest = LARGEST.exec(text);
    assert.ok(largest, text);
    const batch = Number(largest[1]);
    assert.ok(batch >= 1 && batch < 64, `largest batch ${batch}`);
    assert.equal(refused?.memory?.largestBatch, batch);
    // Refused before anything was built: no run started, none listed.
    assert.equal((await events(page)).filter((e) => e.type === 'train/started').length, 0);
    assert.equal(await page.getByTestId('run-row').count(), 0);

    await page.getByTestId('apply-batch').click();
    await page.waitForFunction(
      () => (window as unknown as { __trainEvents: SeenEvent[] }).__trainEvents.some((e) => e.type === 'train/batchEnded'),
      undefined,
      {
        timeout: 240_000,
        polling: 250,
      },
    );
    const started = (await events(page)).find((e) => e.type === 'train/started');
    assert.equal(started?.batchSize, batch, 'the run trains with the batch that fits');
    assert.equal(await page.locator('#batch-size').inputValue(), String(batch));
    await page.getByTestId('stop').click();
    await page.waitForFunction(`document.querySelector('[data-testid="run-row"]')?.getAttribute('data-status') === 'stopped'`, undefined, {
      timeout: 240_000,
      polling: 250,
    });
  });
});

test('lab train refuses the same run with the same message and a non-zero exit code', { timeout: 120_000 }, async () => {
  const args = [
    'tsx',
    'scripts/lab/main.ts',
    'train',
    'demo',
    '--regime',
    'finetune',
    '--size',
    '224',
    '--batch',
    '64',
    '--backend',
    'wasm',
  ];
  const failure = await promisify(execFile)('npx', args, { cwd: ROOT, timeout: 110_000 }).then(
    () => null,
    (err: { code?: number; stderr?: string; stdout?: string }) => err,
  );
  assert.ok(failure, 'lab train exited 0');
  assert.notEqual(failure.code, 0);
  assert.match(failure.stderr ?? '', REFUSAL);
  assert.match(failure.stderr ?? '', LARGEST);
  assert.doesNotMatch(failure.stdout ?? '', /"type":"epoch"/);
});
