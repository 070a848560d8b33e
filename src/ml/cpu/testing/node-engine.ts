/**
 * CPU engines for Node tests and benchmarks: the kernels compiled from source (cached), helper threads
 * on worker_threads, and either a memory of their own (kernel tests, any thread count) or tfjs-wasm's
 * heap (scripts/cpu-kernels/compile.ts builds; relaxed SIMD is behind a flag in Node 20's V8, set here).
 */
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { cachedCpuKernels } from '../../../../scripts/cpu-kernels/compile.ts';
import { CpuEngine, type HeapAllocator } from '../engine.ts';
import type { KernelThread, SpawnKernelThread } from '../thread-pool.ts';
import { cpuKernelBuild } from '../variant.ts';

/** Node 20's V8 validates relaxed SIMD (the FMA builds) only behind a flag; Chromium ships it. */
export function enableRelaxedSimdInNode(): void {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}
enableRelaxedSimdInNode();

/** tsx's loader, then node-thread.worker.ts: a worker's own `--import tsx` does not reach it in Node 20. */
const THREAD_SOURCE = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => {
  register();
  return import(${JSON.stringify(new URL('./node-thread.worker.ts', import.meta.url).href)});
});`;

/** Starts helpers as Node worker threads running node-thread.worker.ts (through tsx). */
export const spawnNodeKernelThread: SpawnKernelThread = (init) => {
  const worker = new Worker(THREAD_SOURCE, { eval: true });
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.postMessage(init);
  // Held until ready (an unreferenced worker lets the process exit mid-start), then let go: a
  // helper blocked in Atomics.wait must not keep a finished test alive.
  void ready.then(
    () => worker.unref(),
    () => undefined,
  );
  const thread: KernelThread = { ready, terminate: () => void worker.terminate() };
  return thread;
};

/** The compiled module of one build. */
export async function compiledCpuKernels(fma: boolean, sharedMemory: boolean): Promise<WebAssembly.Module> {
  return WebAssembly.compile(new Uint8Array(await cachedCpuKernels(cpuKernelBuild(fma, sharedMemory))));
}

/** A memory of its own with a bump allocator (free is a no-op; `reset` starts over): for kernel tests. */
export class TestHeap implements HeapAllocator {
  private top = 1024;
  constructor(readonly memory: WebAssembly.Memory) {}
  malloc(bytes: number): number {
    const at = Math.ceil(this.top / 64) * 64;
    this.top = at + bytes;
    const need = Math.ceil(this.top / 65536) - this.memory.buffer.byteLength / 65536;
    if (need > 0) this.memory.grow(need);
    return at;
  }
  free(): void {}
  /** Forgets every allocation after `mark` (a value of `top`). */
  reset(mark: number): void {
    this.top = mark;
  }
  get mark(): number {
    return this.top;
  }
}

/** An engine on a fresh memory of its own (shared when threads > 1 or `shared`), with its heap. */
export async function createTestEngine(options: {
  threads: number;
  fma: boolean;
  shared?: boolean;
}): Promise<{ engine: CpuEngine; heap: TestHeap }> {
  const shared = options.shared ?? options.threads > 1;
  const memory = new WebAssembly.Memory(shared ? { initial: 256, maximum: 65536, shared: true } : { initial: 256 });
  const heap = new TestHeap(memory);
  const module = await compiledCpuKernels(options.fma, shared);
  const engine = await CpuEngine.create({ module, memory, heap, threads: options.threads, spawn: spawnNodeKernelThread });
  return { engine, heap };
}
