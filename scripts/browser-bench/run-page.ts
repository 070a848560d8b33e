import { resolve } from 'node:path';
import { createServer } from 'vite';
import { launchChromium } from '../lab/chromium.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Serves the project with Vite's dev server (the app's cross-origin isolation headers, so WASM
 * gets its threads), opens `page` (a path under the project root) with `query` in headless
 * Chromium, and returns what the page leaves on `window.benchResult`: an object, or `{ error }`,
 * which is thrown. Page console errors are echoed to stderr.
 */
export async function runBenchPage<T>(page: string, query: Record<string, string>): Promise<T> {
  const server = await createServer({ root: ROOT, logLevel: 'error', server: { port: 0, host: '127.0.0.1' } });
  await server.listen();
  // Timestamp queries (per-kernel GPU time in tf.profile on WebGPU) are an "unsafe" Dawn API.
  const browser = await launchChromium(['--enable-dawn-features=allow_unsafe_apis']);
  try {
    const address = server.httpServer?.address();
    if (address === null || address === undefined || typeof address === 'string') throw new Error('vite did not report its port');
    const tab = await browser.context.newPage();
    tab.on('console', (message) => {
      if (message.type() === 'error') console.error(`page: ${message.text()}`);
    });
    await tab.goto(`http://127.0.0.1:${address.port}/${page}?${new URLSearchParams(query)}`);
    await tab.waitForFunction(() => (window as { benchResult?: unknown }).benchResult !== undefined, null, { timeout: 1_800_000 });
    const result = await tab.evaluate(() => (window as { benchResult?: unknown }).benchResult);
    if (typeof result === 'object' && result !== null && 'error' in result) throw new Error(`${page}: ${String(result.error)}`);
    return result as T;
  } finally {
    await browser.close();
    await server.close();
  }
}
