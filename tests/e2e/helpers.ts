import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from '../../scripts/lab/chromium.ts';
import { ROOT, startLabServer, type LabServer } from '../../scripts/lab/server.ts';

export { ROOT };
/**
 * The real FER2013 files: found through EXPRESSION_LAB_DATASETS (default ../shared/datasets); a test
 * needing one that is absent passes `{ skip: missingDataset(file) }` and is reported as skipped with why.
 */
export { DATASETS_DIR, DATASETS_REQUIRED, datasetPath, missingDataset } from '../datasets.ts';
/** Screenshots are kept here as CI artifacts (what a user sees). */
export const ARTIFACTS = join(ROOT, 'test-results');

export interface AppHarness {
  readonly server: LabServer;
  readonly browser: LaunchedBrowser;
  open(query?: string): Promise<Page>;
  close(): Promise<void>;
}

/** The built app served like `npm run preview`, and a fresh headless Chromium. */
export async function startApp(): Promise<AppHarness> {
  const server = await startLabServer();
  const browser = await launchChromium();
  return {
    server,
    browser,
    async open(query = '') {
      const page = await browser.context.newPage();
      page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
      await page.goto(new URL(query, server.url).href);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Drops a zip named `name` holding `bytes` on the dataset drop zone, as a person drags a file from
 * their desktop (dragenter, dragover, drop with a real DataTransfer). Callers wait for what follows.
 */
export async function dropZip(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const transfer = await page.evaluateHandle(
    ([file, b64]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], file, { type: 'application/zip' }));
      return dt;
    },
    [name, Buffer.from(bytes).toString('base64')] as const,
  );
  const zone = page.getByTestId('dropzone');
  for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer: transfer });
}

/** Presses "Use random initialisation" and waits until the page says the weights are not pretrained. */
export async function useRandomWeights(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Use random initialisation' }).click();
  await page
    .getByTestId('weights-status')
    .locator('strong')
    .getByText(/not pretrained/i)
    .waitFor({ timeout: 120_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const run = promisify(execFile);

/** Runs `npm run lab -- <args>` and returns stdout's JSON lines, parsed. */
export async function lab(args: string[], timeoutMs = 600_000): Promise<{ lines: unknown[]; stderr: string }> {
  const { stdout, stderr } = await run('npx', ['tsx', 'scripts/lab/main.ts', ...args], {
    cwd: ROOT,
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  const lines = stdout
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as unknown);
  return { lines, stderr };
}
