import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cpus } from 'node:os';
import { lab, screenshot, startApp, type AppHarness } from './helpers.ts';

describe('the app in headless Chromium', () => {
  let app: AppHarness;
  before(async () => {
    app = await startApp();
  });
  after(async () => app?.close());

  test('the worker chooses a backend and the UI shows it (WASM over a fallback WebGPU adapter)', async () => {
    const page = await app.open();
    const badge = page.getByTestId('backend');
    await badge.getByText(/wasm/i).waitFor({ timeout: 60_000 });
    // The CPU kernels' variant: one thread per core (cross-origin isolated), FMA where relaxed SIMD validates.
    assert.match(await badge.innerText(), new RegExp(`WASM SIMD( \\+ FMA)?, ${Math.min(cpus().length, 16)} threads?`));
    assert.match(await page.getByTestId('wasm-threads').innerText(), new RegExp(`${Math.min(cpus().length, 16)} WASM threads?`));
    await screenshot(page, 'foundation-start');
    await page.close();
  });

  for (const backend of ['webgpu', 'wasm', 'webgl'] as const) {
    test(`forcing ${backend} works`, async () => {
      const page = await app.open(`?backend=${backend}`);
      const badge = page.getByTestId('backend');
      await badge.getByText(new RegExp(`^${backend}`, 'i')).waitFor({ timeout: 60_000 });
      if (backend === 'webgpu') assert.match(await badge.innerText(), /swiftshader/i);
      await page.close();
    });
  }
});

describe('lab info', () => {
  test('prints JSON naming the backend, the adapter, tfjs and the available backends', async () => {
    const { lines } = await lab(['info']);
    assert.equal(lines.length, 1);
    const info = lines[0] as { backend: string; adapter: string; tfjs: string; backends: string[]; threads: number | null };
    assert.equal(info.backend, 'wasm', 'a fallback WebGPU adapter must yield to WASM');
    // The lab's CPU kernels compute on every core (up to 16), and the adapter names their variant.
    assert.equal(info.threads, Math.min(cpus().length, 16), 'the CPU kernels must compute on every core');
    assert.match(info.adapter, new RegExp(`^WASM SIMD( \\+ FMA)?, ${info.threads} threads?$`));
    assert.equal(info.tfjs, '4.22.0');
    assert.ok(info.backends.includes('webgpu') && info.backends.includes('wasm'));
  });

  test('--backend webgpu reports the SwiftShader adapter', async () => {
    const { lines } = await lab(['info', '--backend', 'webgpu']);
    const info = lines[0] as { backend: string; adapter: string };
    assert.equal(info.backend, 'webgpu');
    assert.match(info.adapter, /swiftshader/i);
    assert.match(info.adapter, /fallback/i);
  });

  test('an unknown backend is a clear error with a non-zero exit', async () => {
    await assert.rejects(lab(['info', '--backend', 'metal']), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, /--backend must be one of webgpu, wasm, webgl, cpu/);
      return true;
    });
  });
});
