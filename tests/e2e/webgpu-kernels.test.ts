/**
 * The lab's WebGPU kernels against tfjs' cpu kernels in headless Chromium (WebGPU on SwiftShader):
 * the tiled, split-K filter gradient and the split-K forward on the shape table every convolution
 * kernel is checked on.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { preview, type PreviewServer } from 'vite';
import { launchChromium, type LaunchedBrowser } from '../../scripts/lab/chromium.ts';
import { CONV_CASES } from '../../src/ml/testing/conv-cases.ts';
import { ROOT } from './helpers.ts';

const TOLERANCE = 2e-6;

describe('WebGPU kernels (SwiftShader) vs tfjs cpu', () => {
  let server: PreviewServer;
  let browser: LaunchedBrowser;
  before(async () => {
    const config = join(ROOT, 'tests/e2e/pages/vite.config.ts');
    await promisify(execFile)('npx', ['vite', 'build', '--config', config], { cwd: ROOT });
    server = await preview({ configFile: config, preview: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test(
    `Conv2DBackpropFilter and Conv2D equal tfjs cpu on ${CONV_CASES.length} shapes, BatchNorm's channel sums too, leaking nothing`,
    { timeout: 600_000 },
    async () => {
      const page = await browser.context.newPage();
      page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
      await page.goto(new URL('conv-products.html', server.resolvedUrls?.local[0]).href);
      const result = await page.evaluate(() => window.__convProducts);
      assert.equal(result.backend, 'webgpu');
      for (const [kernel, errors] of [
        ['filter gradient', Object.entries(result.filter)],
        ['forward (split-K)', Object.entries(result.forward)],
        ['channel sums', Object.entries(result.sums)],
      ] as const) {
        if (kernel !== 'channel sums') assert.equal(errors.length, CONV_CASES.length, `every case was computed (${kernel})`);
        const worst = Math.max(...errors.map(([, e]) => e));
        process.stdout.write(`WebGPU ${kernel} vs tfjs cpu: worst relative error ${worst.toExponential(2)} over ${errors.length} shapes\n`);
        for (const [name, error] of errors) assert.ok(error < TOLERANCE, `${kernel}, ${name}: relative error ${error}`);
      }
      assert.equal(result.tensorsLeft, 0, 'no tensor outlives its case');
      await page.close();
    },
  );
});
