import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { preview, type PreviewServer } from 'vite';
import { launchChromium, type LaunchedBrowser } from '../../scripts/lab/chromium.ts';
import { ROOT } from './helpers.ts';
import type { GradCamPageResult } from './pages/gradcam-page.ts';

const TOLERANCE = 1e-3;
/** Grad-CAM's bar (issue 19): maps equal within 1e-4 of their maximum. */
const GRAD_CAM_TOLERANCE = 1e-4;

/** What cross-origin isolation takes (SharedArrayBuffer, so WASM threads): the app's own headers. */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

describe('ResNet50 on WebGPU and on the CPU kernels (WASM) matches PyTorch golden numbers', () => {
  let isolated: PreviewServer;
  let plain: PreviewServer;
  let browser: LaunchedBrowser;
  before(async () => {
    const config = join(ROOT, 'tests/e2e/pages/vite.config.ts');
    await promisify(execFile)('npx', ['vite', 'build', '--config', config], { cwd: ROOT });
    isolated = await preview({ configFile: config, preview: { host: '127.0.0.1', port: 0, headers: ISOLATION }, logLevel: 'silent' });
    plain = await preview({ configFile: config, preview: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
  });

  /** Opens the golden page on `server` with `query` and returns what it measured. */
  async function golden(server: PreviewServer, query: string): Promise<Record<string, number | string>> {
    const page = await browser.context.newPage();
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
    page.on('console', (msg) => process.stderr.write(`[page] ${msg.text()}\n`));
    await page.goto(new URL(`golden.html?${query}`, server.resolvedUrls?.local[0]).href);
    const errors = await page.evaluate(() => window.__golden);
    await page.close();
    return errors;
  }

  /** Every compared figure is within the tolerance, and all of them were compared. */
  function assertWithin(errors: Record<string, number | string>): void {
    const numeric = Object.entries(errors).filter(([, v]) => typeof v === 'number') as [string, number][];
    assert.ok(numeric.length >= 10, 'logits, loss, gradients and step parameters were all compared');
    for (const [name, error] of numeric) assert.ok(error < TOLERANCE, `${name}: relative error ${error} ≥ ${TOLERANCE}`);
  }

  // Every variant of the CPU kernels a browser can end up on: threads (cross-origin isolated) or
  // one thread (not isolated: tfjs-wasm's single-threaded build, a private memory), FMA or not.
  const variants = [
    { name: 'FMA, every core', isolated: true, cpu: 'fma', label: /^WASM SIMD \+ FMA, \d+ threads?$/ },
    { name: 'no FMA, every core', isolated: true, cpu: 'simd', label: /^WASM SIMD, \d+ threads?$/ },
    {
      name: 'FMA, one thread (page not cross-origin isolated)',
      isolated: false,
      cpu: 'fma',
      label: /^WASM SIMD \+ FMA, 1 thread \(page not cross-origin isolated/,
    },
  ] as const;
  for (const v of variants) {
    test(
      `WASM, ${v.name}: forward, gradients and one discriminative SGD step within 1e-3 (64x64, batch 2)`,
      { timeout: 300_000 },
      async () => {
        const errors = await golden(v.isolated ? isolated : plain, `backend=wasm&cpu=${v.cpu}`);
        process.stderr.write(`golden errors on WASM (${v.name}): ${JSON.stringify(errors)}\n`);
        assert.equal(errors.backend, 'wasm');
        assert.match(String(errors.kernels), v.label);
        assert.equal(Number(errors.threads) > 1, v.isolated && cpus().length > 1, `threads ${errors.threads}`);
        assertWithin(errors);
      },
    );
  }

  test('WebGPU: forward, gradients and one discriminative SGD step within 1e-3 (64x64, batch 2)', { timeout: 900_000 }, async () => {
    const errors = await golden(plain, 'backend=webgpu');
    process.stderr.write(`golden errors on WebGPU: ${JSON.stringify(errors)}\n`);
    assert.equal(errors.backend, 'webgpu');
    assertWithin(errors);
  });

  test(
    'WebGPU: Grad-CAM maps (predicted class and a requested one) within 1e-4 of their maximum (128x128)',
    { timeout: 300_000 },
    async () => {
      const page = await browser.context.newPage();
      page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
      await page.goto(new URL('gradcam.html', plain.resolvedUrls?.local[0]).href);
      const result: GradCamPageResult = await page.evaluate(() => window.__gradCam);
      await page.close();
      process.stderr.write(`Grad-CAM golden errors on WebGPU: ${JSON.stringify(result)}\n`);
      assert.equal(result.backend, 'webgpu');
      assert.equal(result.maps.length, 2, 'the predicted map and a requested one were compared');
      for (const m of result.maps) {
        assert.equal(m.classIndex, m.expectedClass);
        assert.deepEqual(m.shape, [4, 4, 128, 128]);
        for (const key of ['map', 'upsampled', 'sum', 'logits'] as const)
          assert.ok(m[key] < GRAD_CAM_TOLERANCE, `class ${m.classIndex} ${key}: ${m[key]} of the maximum ≥ ${GRAD_CAM_TOLERANCE}`);
      }
      assert.equal(result.tensorsAfter, result.tensorsBefore, 'Grad-CAM left no tensors behind');
    },
  );
});
