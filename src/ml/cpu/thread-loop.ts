import { CPU_KERNELS, type CpuKernelExports } from './kernel-names.ts';
import {
  ARG_COUNT,
  ARGS_OFFSET,
  FAILED,
  GENERATION,
  KERNEL,
  PENDING,
  STOP,
  THREADS,
  waitWhile,
  type ThreadInit,
} from './thread-control.ts';

/**
 * A helper thread's life: instantiate the kernels on the shared memory, say it is ready, then run
 * its share of every job until STOP. Blocks its thread (Atomics.wait), so it runs in a worker only.
 * A kernel that throws sets FAILED and still counts as done, so the dispatcher never hangs.
 */
export function runKernelThread(init: ThreadInit, ready: () => void): void {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const exports = instance.exports as unknown as CpuKernelExports;
  const control = new Int32Array(init.control);
  const args = new Float64Array(init.control, ARGS_OFFSET);
  let seen = Atomics.load(control, GENERATION);
  ready();
  for (;;) {
    waitWhile(control, GENERATION, seen);
    seen = Atomics.load(control, GENERATION);
    const kernel = Atomics.load(control, KERNEL);
    if (kernel === STOP) return;
    const threads = Atomics.load(control, THREADS);
    if (init.index < threads) {
      try {
        const name = CPU_KERNELS[kernel];
        if (name === undefined) throw new Error(`unknown CPU kernel ${kernel}`);
        const job = Array.from(args.subarray(0, Atomics.load(control, ARG_COUNT)));
        exports[name](...job, init.index, threads);
      } catch (err) {
        Atomics.store(control, FAILED, 1);
        console.error(`CPU kernel thread ${init.index} failed:`, err);
      }
      if (Atomics.sub(control, PENDING, 1) === 1) Atomics.notify(control, PENDING);
    }
  }
}
