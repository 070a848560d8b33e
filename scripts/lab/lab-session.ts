import type { Page } from 'playwright-core';
import type { Command } from '../../src/shared/protocol.ts';
import type { BackendInfo, BackendName } from '../../src/shared/types.ts';
import { launchChromium, type LaunchedBrowser } from './chromium.ts';
import { startLabServer, type LabServer } from './server.ts';

/** A running app worker inside headless Chromium, driven through the app's own protocol. */
export interface LabSession {
  readonly server: LabServer;
  readonly page: Page;
  readonly backend: BackendInfo;
  /** Sends a request command and resolves with its reply (buffers uploaded, typed arrays as byte counts). */
  request<T = unknown>(command: Command): Promise<T>;
  send(command: Command): Promise<void>;
  /** Streamed events (progress, batches, epochs) as plain JSON. */
  onEvent(listener: (event: { type: string } & Record<string, unknown>) => void): void;
  close(): Promise<void>;
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
    if (options.verbose) page.on('console', (msg) => process.stderr.write(`[chromium] ${msg.text()}\n`));
    await page.goto(new URL('lab.html', server.url).href);
    await page.evaluate(() => window.__lab.ready);
    const request = <T>(command: Command): Promise<T> => page.evaluate((c) => window.__lab.request(c), command) as Promise<T>;
    const reply = await request<{ info: BackendInfo }>({ type: 'backend/init', requestId: requestId(), preferred: options.backend });
    const opened = browser;
    return {
      server,
      page,
      backend: reply.info,
      request,
      send: (command) => page.evaluate((c) => window.__lab.send(c), command),
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
