import { CPU_KERNELS, type CpuKernel } from './kernel-names.ts';
import {
  ARG_COUNT,
  ARGS_OFFSET,
  CONTROL_BYTES,
  FAILED,
  GENERATION,
  KERNEL,
  MAX_ARGS,
  PENDING,
  STOP,
  THREADS,
  waitWhile,
  type ThreadInit,
} from './thread-control.ts';

/** A started helper thread, whatever runs it (a Web Worker, or worker_threads in Node tests). */
export interface KernelThread {
  /** Resolves once the helper instantiated the kernels and waits for work. */
  readonly ready: Promise<void>;
  terminate(): void;
}

/** Starts one helper thread with `init` (see thread-loop.ts). */
export type SpawnKernelThread = (init: ThreadInit) => KernelThread;

/**
 * The helpers of a CPU engine and the control block they share. The dispatching thread (the one
 * that calls `run`) is thread 0 and computes its own share; helpers 1 … threads−1 compute theirs.
 * `run` returns when every share is done. Not re-entrant: one job at a time.
 */
export class KernelThreadPool {
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private constructor(
    private readonly helpers: readonly KernelThread[],
    buffer: SharedArrayBuffer,
  ) {
    this.control = new Int32Array(buffer);
    this.args = new Float64Array(buffer, ARGS_OFFSET, MAX_ARGS);
  }

  /** Starts `threads − 1` helpers on `memory` and waits until each is ready. */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    threads: number,
    spawn: SpawnKernelThread,
  ): Promise<KernelThreadPool> {
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const helpers: KernelThread[] = [];
    for (let index = 1; index < threads; index++) helpers.push(spawn({ module, memory, control, index }));
    try {
      await Promise.all(helpers.map((h) => h.ready));
    } catch (err) {
      for (const h of helpers) h.terminate();
      throw err;
    }
    return new KernelThreadPool(helpers, control);
  }

  /** Threads a job can use: the helpers and the dispatching thread. */
  get size(): number {
    return this.helpers.length + 1;
  }

  /**
   * Runs `kernel` on `threads` threads (≤ size): helpers 1 … threads−1 and this thread as 0, via
   * `own` (this thread's instance of the kernel). Throws if any share failed.
   */
  run(kernel: CpuKernel, args: readonly number[], threads: number, own: (...args: number[]) => void): void {
    if (args.length > MAX_ARGS) throw new Error(`${kernel}: ${args.length} arguments, the control block holds ${MAX_ARGS}`);
    const c = this.control;
    this.args.set(args);
    Atomics.store(c, KERNEL, CPU_KERNELS.indexOf(kernel));
    Atomics.store(c, ARG_COUNT, args.length);
    Atomics.store(c, THREADS, threads);
    Atomics.store(c, FAILED, 0);
    Atomics.store(c, PENDING, threads - 1);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    let failure: unknown = null;
    try {
      own(...args, 0, threads);
    } catch (err) {
      failure = err;
    }
    for (let pending = Atomics.load(c, PENDING); pending !== 0; pending = Atomics.load(c, PENDING)) waitWhile(c, PENDING, pending);
    if (failure !== null) throw failure;
    if (Atomics.load(c, FAILED) !== 0) throw new Error(`the CPU kernel ${kernel} failed on a helper thread (see the console)`);
  }

  /** Ends the helpers' loops and their threads. */
  stop(): void {
    Atomics.store(this.control, KERNEL, STOP);
    Atomics.add(this.control, GENERATION, 1);
    Atomics.notify(this.control, GENERATION);
    for (const h of this.helpers) h.terminate();
  }
}
