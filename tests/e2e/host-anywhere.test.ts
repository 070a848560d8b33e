/**
 * `dist/` on any static host (issue 25): served by a plain static server with no COOP/COEP headers,
 * under a sub-path three folders deep and at a server's root. The app loads with no failed request
 * and no console error; the service worker makes it cross-origin isolated with at most one
 * automatic reload, so WASM computes on more than one thread; a short run trains on the demo. With
 * the network gone after that first visit, a reload opens the app and it trains again. A second
 * build put on the server is what the next visit gets, online and then offline. Where service
 * workers are refused, the app runs on one thread and says why.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from '../../scripts/lab/chromium.ts';
import { DIST } from '../../scripts/lab/server.ts';
import { BUILD_ID_META } from '../../scripts/build/build-id.ts';
import { ROOT, screenshot, useRandomWeights } from './helpers.ts';
import { startStaticHost, type StaticHost } from './static-host.ts';

/** The linear probe at 48 px (the smallest input size) for one epoch: the cheapest run that still trains (cached features, then fc). */
const SETTINGS = '?backend=wasm#regime=linear&batch=16&epochs=1&size=48&seed=3';
const SUB_PATH = '/courses/vision/lab/';
const THREADS = Math.min(cpus().length, 16);
const SECOND_BUILD_ID = 'host-anywhere-second-build';
/**
 * The one 404 that belongs: the app asks for an optional local copy of the pretrained model (what
 * `npm run weights` writes beside the app), absent from this build; the 404 is how a server says so.
 */
const OPTIONAL_LOCAL_MODEL = 'models/resnet50/model.json';
const unexpected = (problems: string[]) => problems.filter((p) => !p.includes(OPTIONAL_LOCAL_MODEL) && !/status of 404/.test(p));
/** The training worker's own cache of downloaded weights (src/worker/weights-download.ts): the service worker must leave it. */
const WEIGHTS_CACHE = 'expression-lab-weights-v1';

interface Visit {
  readonly page: Page;
  /** Console errors, page errors and failed responses the page saw. */
  readonly problems: string[];
  /** Documents loaded in the tab so far (the visit itself, then any reload). */
  loads(): number;
}

/** Opens `url` in a new tab, recording what went wrong; resolves once the Model panel says how the page is isolated. */
async function visit(browser: LaunchedBrowser, url: string): Promise<Visit> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  let loads = 0;
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`)));
  page.on('domcontentloaded', () => void (loads += 1));
  await page.goto(url);
  await page.locator('[data-testid="isolation"]:not([data-isolation="unknown"])').waitFor({ timeout: 120_000 });
  return { page, problems, loads: () => loads };
}

/** Asserts the page is isolated by the service worker and WASM runs on every core (more than one where there are). */
async function assertThreaded(page: Page, where: string): Promise<void> {
  assert.equal(
    await page.getByTestId('isolation').getAttribute('data-isolation'),
    'service-worker',
    `${where}: isolated by the service worker`,
  );
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), true, `${where}: crossOriginIsolated`);
  assert.match(await page.getByTestId('isolation').innerText(), /^Threads on: .*service worker/);
  await page.getByTestId('wasm-threads').waitFor({ timeout: 120_000 });
  const threads = Number((await page.getByTestId('wasm-threads').innerText()).match(/(\d+) WASM thread/)?.[1]);
  assert.equal(threads, THREADS, `${where}: the CPU kernels compute on every core`);
  assert.equal(threads > 1, cpus().length > 1, `${where}: more than one WASM thread on a machine with more than one core`);
}

/** Loads the demo and random weights, trains one run, and waits until `completed` runs have completed. */
async function trainOnDemo(page: Page, completed: number): Promise<void> {
  await page.getByRole('button', { name: 'Use demo dataset' }).click();
  await page.getByTestId('dataset-summary').waitFor({ timeout: 120_000 });
  await useRandomWeights(page);
  await page.getByTestId('start').click();
  await page.waitForFunction(
    `document.querySelectorAll('[data-testid="run-row"][data-status="completed"]').length >= ${completed}`,
    undefined,
    { timeout: 300_000, polling: 250 },
  );
}

const buildId = (page: Page) => page.locator(`meta[name="${BUILD_ID_META}"]`).getAttribute('content');

/** The first visit: isolated after at most one automatic reload, threads, a short run on the demo, nothing failed. */
async function firstVisit(browser: LaunchedBrowser, host: StaticHost, name: string): Promise<Visit> {
  const first = await visit(browser, `${host.url}${SETTINGS}`);
  await assertThreaded(first.page, name);
  assert.ok(first.loads() <= 2, `${name}: at most one automatic reload (${first.loads()} page loads)`);
  await trainOnDemo(first.page, 1);
  await screenshot(first.page, `host-anywhere-${name}`);
  assert.deepEqual(unexpected(host.failures), [], `${name}: no request failed on the server`);
  assert.deepEqual(unexpected(first.problems), [], `${name}: no console error, page error or failed response`);
  assert.deepEqual(await first.page.getByTestId('error-message').allInnerTexts(), [], `${name}: no message from the app`);
  return first;
}

describe('dist/ on a plain static server (no COOP/COEP)', () => {
  let secondBuild: string;
  before(async () => {
    if (!existsSync(join(DIST, 'sw.js'))) throw new Error('dist/ has no sw.js: run `npm run build` first.');
    // The next deploy: the same sources built under another build id (a new index.html, a new precache manifest).
    secondBuild = mkdtempSync(join(tmpdir(), 'expression-lab-second-build-'));
    await promisify(execFile)('npx', ['vite', 'build', '--outDir', secondBuild, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: ROOT,
      env: { ...process.env, EXPRESSION_LAB_BUILD_ID: SECOND_BUILD_ID },
      maxBuffer: 64 << 20,
    });
  });
  after(() => rmSync(secondBuild, { recursive: true, force: true }));

  describe(`under a sub-path (${SUB_PATH}): first visit, offline, then a new build`, () => {
    let host: StaticHost;
    let browser: LaunchedBrowser;
    let page: Page;
    let firstBuildId: string | null;
    before(async () => {
      host = await startStaticHost(DIST, SUB_PATH);
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await host?.close();
    });

    test('loads, isolates itself (one reload at most), computes on every core and trains on the demo', { timeout: 400_000 }, async () => {
      ({ page } = await firstVisit(browser, host, 'sub-path'));
      firstBuildId = await buildId(page);
      assert.ok(firstBuildId && firstBuildId !== SECOND_BUILD_ID);
    });

    test('with the network gone, a reload opens the app, isolated, and it trains on the demo again', { timeout: 400_000 }, async () => {
      // Stands for the weights the training worker downloaded: the service worker must not drop that cache.
      await page.evaluate(
        async (name) => (await caches.open(name)).put('https://weights.example/resnet50.safetensors', new Response('weights')),
        WEIGHTS_CACHE,
      );
      host.setDown(true);
      await browser.context.setOffline(true);
      await page.reload();
      await page.locator('[data-testid="isolation"]:not([data-isolation="unknown"])').waitFor({ timeout: 120_000 });
      await assertThreaded(page, 'offline');
      await trainOnDemo(page, 2);
      assert.equal(await page.evaluate((name) => caches.has(name), WEIGHTS_CACHE), true, 'the cached weights are still there');
      await browser.context.setOffline(false);
      host.setDown(false);
    });

    test('a new build on the server is what the next visit gets, and then what opens offline', { timeout: 300_000 }, async () => {
      host.serve(secondBuild);
      await page.close();
      await browser.context.addInitScript({
        content: `window.__controllerChanges = 0;
          navigator.serviceWorker?.addEventListener('controllerchange', () => { window.__controllerChanges += 1; });`,
      });

      const next = await visit(browser, `${host.url}${SETTINGS}`);
      assert.equal(await buildId(next.page), SECOND_BUILD_ID, 'the next visit runs the new build');
      await assertThreaded(next.page, 'new build');
      // The browser looks for a new service worker after each navigation; the new build's takes over
      // this page (controllerchange) once it has stored the new build. Offline, that build then opens.
      await next.page.waitForFunction('window.__controllerChanges >= 1', undefined, { timeout: 120_000, polling: 250 });
      host.setDown(true);
      await browser.context.setOffline(true);
      await next.page.reload();
      await next.page.locator('[data-testid="isolation"]:not([data-isolation="unknown"])').waitFor({ timeout: 120_000 });
      assert.equal(await buildId(next.page), SECOND_BUILD_ID, 'offline, the new build opens, not the first one');
      assert.equal(await next.page.evaluate((name) => caches.has(name), WEIGHTS_CACHE), true, 'a new build keeps the cached weights');
      assert.deepEqual(unexpected(next.problems), [], 'no console error, page error or failed response');
    });
  });

  describe('at the root of a server', () => {
    let host: StaticHost;
    let browser: LaunchedBrowser;
    before(async () => {
      host = await startStaticHost(DIST, '/');
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await host?.close();
    });

    test('loads, isolates itself (one reload at most), computes on every core and trains on the demo', { timeout: 400_000 }, async () => {
      await firstVisit(browser, host, 'root');
    });

    test(
      'without service workers (as in some private windows), WASM runs on one thread and the Model panel says why',
      { timeout: 120_000 },
      async () => {
        const plain = await launchChromium();
        try {
          // What Firefox's private windows do: no navigator.serviceWorker at all.
          await plain.context.addInitScript({
            content: "Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined });",
          });
          const page = await plain.context.newPage();
          let loads = 0;
          page.on('domcontentloaded', () => void (loads += 1));
          await page.goto(`${host.url}${SETTINGS}`);
          const line = page.locator('[data-testid="isolation"][data-isolation="none"]');
          await line.waitFor({ timeout: 120_000 });
          assert.match(
            await line.innerText(),
            /^Single thread: this page is not cross-origin isolated \(this browser offers no service worker here.+Deploy section/,
          );
          await page.getByTestId('wasm-threads').getByText('1 WASM thread').waitFor({ timeout: 120_000 });
          assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
          assert.equal(loads, 1, 'no reload where the service worker cannot help');
        } finally {
          await plain.close();
        }
      },
    );
  });
});
