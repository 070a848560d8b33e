/// <reference lib="webworker" />
import type { Command, WorkerEvent } from '../shared/protocol.ts';
import { transferablesOf } from '../shared/protocol.ts';
import { handleCommand } from './handler.ts';
import { createSession } from './session.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * Only events whose buffers were made for the page are transferred; others (dataset thumbnails,
 * misclassified images) share memory with what the worker keeps, so they are copied.
 */
const TRANSFERRED: ReadonlySet<WorkerEvent['type']> = new Set(['export/ready', 'augment/previewed']);
const post = (event: WorkerEvent): void => self.postMessage(event, TRANSFERRED.has(event.type) ? transferablesOf(event) : []);
// The app's base URL (the page's, not the worker chunk's), for runtime assets such as the WASM binaries.
const session = createSession(new URL(import.meta.env.BASE_URL, self.location.origin).href);

self.addEventListener('message', (e: MessageEvent<Command>) => {
  void handleCommand(e.data, session, post);
});
post({ type: 'worker/ready' });
