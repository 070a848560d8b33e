/** A CPU kernel helper thread in Node (worker_threads), for tests and benchmarks: the browser's cpu-thread.worker.ts. */
import { parentPort } from 'node:worker_threads';
import { runKernelThread } from '../thread-loop.ts';
import type { ThreadInit } from '../thread-control.ts';

parentPort?.once('message', (init: ThreadInit) => runKernelThread(init, () => parentPort?.postMessage('ready')));
