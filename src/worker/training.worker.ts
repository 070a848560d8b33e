/// <reference lib="webworker" />
import type { Command, WorkerEvent } from '../shared/protocol.ts';
import { transferablesOf } from '../shared/protocol.ts';
import { appBaseUrl } from './app-base.ts';
import { handleCommand } from './handler.ts';
import { createSession } from './session.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * Only events whose buffers were made for the page are transferred; others (dataset thumbnails,
 * misclassified images) share memory with what the worker keeps, so they are copied.
 */
const TRANSFERRED: ReadonlySet<WorkerEvent['type']> = new Set(['export/ready', 'augment/previewed']);
const post = (event: WorkerEvent): void => self.postMessage(event, TRANSFERRED.has(event.type) ? transferablesOf(event) : []);
const session = createSession(appBaseUrl(self.location.href));

self.addEventListener('message', (e: MessageEvent<Command>) => {
  void handleCommand(e.data, session, post);
});
post({ type: 'worker/ready' });
