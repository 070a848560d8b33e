/// <reference lib="webworker" />
/** A CPU kernel helper thread in the browser (started by thread-pool.ts from the training worker). */
import { runKernelThread } from './thread-loop.ts';
import type { ThreadInit } from './thread-control.ts';

self.onmessage = (event: MessageEvent<ThreadInit>) => {
  runKernelThread(event.data, () => self.postMessage('ready'));
};
