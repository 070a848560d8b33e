/**
 * The control block the kernel threads share with the thread that dispatches (a SharedArrayBuffer of
 * its own, beside the wasm memory). Int32 slots, then the job's arguments as float64 (pointers up to
 * 4 GiB and float32 attributes are exact there):
 *   GENERATION  bumped once per job; helpers wait for it to change
 *   PENDING     helpers that have not finished the current job; the last one notifies
 *   KERNEL      index into CPU_KERNELS, or STOP
 *   ARG_COUNT   how many arguments the job has
 *   FAILED      set by a helper whose kernel threw
 *   THREADS     threads taking part in this job (≤ the pool's)
 */
export const GENERATION = 0;
export const PENDING = 1;
export const KERNEL = 2;
export const ARG_COUNT = 3;
export const FAILED = 4;
export const THREADS = 5;
/** KERNEL value that ends a helper's loop. */
export const STOP = -1;
/** Byte offset of the float64 arguments. */
export const ARGS_OFFSET = 64;
/** Most arguments a job carries (the kernel's own, before the thread index and count). */
export const MAX_ARGS = 40;
/** Bytes of the control block. */
export const CONTROL_BYTES = ARGS_OFFSET + 8 * MAX_ARGS;
/** Polls of a flag before sleeping on it: kernels come in bursts, and a wake-up costs more than a short spin. */
export const SPIN_POLLS = 20_000;

/** What a helper thread is sent to start. */
export interface ThreadInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  /** This helper's thread index (1 …; the dispatching thread is 0). */
  readonly index: number;
}

/** False on a thread that may not block (a page's main thread: Atomics.wait throws there). */
let mayBlock = true;

/**
 * Waits until `slot` no longer holds `value`: spins a while, then sleeps on it (Atomics.wait). Where
 * the thread may not sleep (a page's main thread, as in the benchmark pages), it keeps spinning.
 */
export function waitWhile(control: Int32Array, slot: number, value: number): void {
  for (let i = 0; i < SPIN_POLLS; i++) if (Atomics.load(control, slot) !== value) return;
  while (Atomics.load(control, slot) === value) {
    if (!mayBlock) continue;
    try {
      Atomics.wait(control, slot, value);
    } catch {
      mayBlock = false;
    }
  }
}
