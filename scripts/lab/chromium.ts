import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium unless CHROMIUM_PATH says otherwise. Never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for headless Chromium on a machine with no GPU and no outside network; WebGPU via SwiftShader. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** Explains how to get Chromium when it is missing; null when it is there. */
export function chromiumMissingMessage(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  return [
    `Chromium was not found at ${CHROMIUM_PATH}.`,
    'Install it with:  sudo apt-get update && sudo apt-get install -y chromium   (Debian/Ubuntu)',
    'or point CHROMIUM_PATH at a Chromium/Chrome binary. Do not use `npx playwright install`.',
  ].join('\n');
}

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh profile directory, removed on close. `extraArgs` add flags
 * (the benchmarks add `--enable-dawn-features=allow_unsafe_apis`, which gives WebGPU timestamp queries).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<LaunchedBrowser> {
  const missing = chromiumMissingMessage();
  if (missing) throw new Error(missing);
  const userDataDir = mkdtempSync(join(tmpdir(), 'expression-lab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
