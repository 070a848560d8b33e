/// <reference lib="webworker" />
/**
 * Starts the CPU kernels in the browser's training worker: the build for this engine (FMA where
 * relaxed SIMD validates, shared memory when tfjs-wasm runs threaded), fetched from the URL the
 * build emitted, and helper threads as nested Web Workers on the same memory.
 */
import { cpuKernelUrls } from 'virtual:cpu-kernels';
import { CpuEngine, type HeapAllocator } from './engine.ts';
import type { KernelThread, SpawnKernelThread } from './thread-pool.ts';
import { cpuKernelBuild } from './variant.ts';

/** A helper thread as a module Web Worker (cpu-thread.worker.ts), bundled by Vite. */
const spawnWebKernelThread: SpawnKernelThread = (init) => {
  const worker = new Worker(new URL('./cpu-thread.worker.ts', import.meta.url), { type: 'module', name: 'expression-lab-cpu-kernels' });
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (event) => reject(new Error(`a CPU kernel thread failed to start: ${event.message}`));
  });
  worker.postMessage(init);
  const thread: KernelThread = { ready, terminate: () => worker.terminate() };
  return thread;
};

/** Compiles the right build and starts `threads` threads on `memory`. */
export async function startBrowserCpuEngine(
  memory: WebAssembly.Memory,
  heap: HeapAllocator,
  threads: number,
  fma: boolean,
): Promise<CpuEngine> {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const build = cpuKernelBuild(fma, shared);
  const url = cpuKernelUrls[build.name];
  if (!url) throw new Error(`the app was built without the CPU kernel build ${build.name}`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the CPU kernels (${url}) could not be loaded: HTTP ${response.status}`);
  const module = await WebAssembly.compile(await response.arrayBuffer());
  return CpuEngine.create({ module, memory, heap, threads: shared ? threads : 1, spawn: spawnWebKernelThread });
}
