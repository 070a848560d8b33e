import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { BridgeCommand, BridgeReply, BridgeRequest } from '../../src/shared/bridge.ts';
import type { BackendInfo, BackendName } from '../../src/shared/types.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { startLabServer, type LabServer } from './server.ts';

/** A running app worker inside headless Chromium, driven through the app's own protocol. */
export interface LabSession {
  readonly server: LabServer;
  readonly page: Page;
  readonly backend: BackendInfo;
  /** Sends a request command and resolves with its reply (buffers uploaded, typed arrays as byte counts). */
  request<C extends BridgeRequest>(command: C): Promise<BridgeReply<C['type']>>;
  send(command: BridgeCommand): Promise<void>;
  /** Files the worker produces (exports) are saved into this folder; `outputs` lists them. */
  setOutputDir(dir: string): void;
  readonly outputs: string[];
  /** Streamed events (progress, batches, epochs) as plain JSON. */
  onEvent(listener: (event: { type: string } & Record<string, unknown>) => void): void;
  close(): Promise<void>;
}

/**
 * The worker's own message from a failed `page.evaluate`: Playwright wraps it as
 * "page.evaluate: Error: <message>" followed by the page's stack, which is noise to a CLI user.
 */
export function workerErrorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text
    .replace(/^page\.evaluate: (Error: )?/, '')
    .replace(/\n\s+at [\s\S]*$/, '')
    .trim();
}

let counter = 0;
/** A fresh request id for commands sent from the CLI. */
export const requestId = (): string => `cli-${process.pid}-${++counter}`;

/** Serves the built app, opens its lab page in Chromium, starts the worker's backend. */
export async function openLabSession(options: { backend: BackendName | 'auto'; verbose?: boolean }): Promise<LabSession> {
  const server = await startLabServer();
  let browser: LaunchedBrowser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.context.newPage();
    const listeners: ((event: { type: string } & Record<string, unknown>) => void)[] = [];
    await page.exposeFunction('__labEvent', (event: { type: string } & Record<string, unknown>) => {
      for (const listener of listeners) listener(event);
    });
    page.on('pageerror', (err) => process.stderr.write(`page error: ${err.message}\n`));
    // Exports arrive as downloads; each is saved before the request that produced it resolves.
    let outputDir: string | null = null;
    const outputs: string[] = [];
    const saving: Promise<void>[] = [];
    page.on('download', (download) => {
      const target = join(outputDir ?? process.cwd(), download.suggestedFilename());
      saving.push(
        (async () => {
          mkdirSync(dirname(target), { recursive: true });
          await download.saveAs(target);
          outputs.push(target);
        })(),
      );
    });
    /** Waits until `expected` more downloads have been saved (download events trail the reply). */
    const settle = async (expected: number): Promise<void> => {
      const deadline = Date.now() + 120_000;
      while (saving.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await Promise.all(saving.splice(0));
      if (outputs.length < expected) throw new Error(`expected ${expected} exported files from the worker, got ${outputs.length}`);
      outputs.splice(0, outputs.length - expected);
    };
    if (options.verbose) page.on('console', (msg) => process.stderr.write(`[chromium] ${msg.text()}\n`));
    await page.goto(new URL('lab.html', server.url).href);
    await page.evaluate(() => window.__lab.ready);
    const request = async <C extends BridgeRequest>(command: C): Promise<BridgeReply<C['type']>> => {
      const reply = (await page
        .evaluate((c) => window.__lab.request(c), command as BridgeRequest)
        .catch((err: unknown) => Promise.reject(new Error(workerErrorMessage(err))))) as BridgeReply<C['type']>;
      await settle((JSON.stringify(reply).match(/"downloaded":/g) ?? []).length);
      return reply;
    };
    const reply = await request({ type: 'backend/init', requestId: requestId(), preferred: options.backend });
    const opened = browser;
    return {
      server,
      page,
      backend: reply.info,
      request,
      send: (command) => page.evaluate((c) => window.__lab.send(c), command),
      setOutputDir: (dir) => {
        outputDir = resolve(dir);
      },
      outputs,
      onEvent: (listener) => listeners.push(listener),
      async close() {
        await opened.close();
        await server.close();
      },
    };
  } catch (err) {
    await browser?.close();
    await server.close();
    throw err;
  }
}
