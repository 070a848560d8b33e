import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { preview, type PreviewServer } from 'vite';
import { launchChromium, type LaunchedBrowser } from '../../scripts/lab/chromium.ts';
import { ROOT } from './helpers.ts';

const TOLERANCE = 1e-3;

describe('ResNet50 on WebGPU matches PyTorch golden numbers', () => {
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

  test('forward, gradients and one discriminative SGD step within 1e-3 (64x64, batch 2)', { timeout: 900_000 }, async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
    page.on('console', (msg) => process.stderr.write(`[page] ${msg.text()}\n`));
    await page.goto(new URL('golden.html?backend=webgpu', server.resolvedUrls?.local[0]).href);
    const errors = await page.evaluate(() => window.__golden);
    process.stderr.write(`golden errors on WebGPU: ${JSON.stringify(errors)}\n`);
    assert.equal(errors.backend, 'webgpu');
    const numeric = Object.entries(errors).filter(([, v]) => typeof v === 'number') as [string, number][];
    assert.ok(numeric.length >= 10, 'logits, loss, gradients and step parameters were all compared');
    for (const [name, error] of numeric) assert.ok(error < TOLERANCE, `${name}: relative error ${error} ≥ ${TOLERANCE}`);
  });
});
