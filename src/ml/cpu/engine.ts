import type { CpuKernel, CpuKernelExports } from './kernel-names.ts';
import { KernelThreadPool, type SpawnKernelThread } from './thread-pool.ts';

/** Allocation on the memory the kernels work in: tfjs-wasm's malloc/free, or a test's own. */
export interface HeapAllocator {
  /** Bytes → a pointer (may grow the memory). */
  malloc(bytes: number): number;
  free(pointer: number): void;
}

/** What a CPU engine runs on. */
export interface CpuEngineOptions {
  /** A compiled build of src/ml/cpu/assembly whose memory import matches `memory` (shared or not). */
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly heap: HeapAllocator;
  /** Threads to compute on, this one included; more than 1 needs a shared memory and `spawn`. */
  readonly threads: number;
  readonly spawn?: SpawnKernelThread;
}

/** Alignment of the buffers the engine allocates: a cache line. */
const ALIGN = 64;

/**
 * The CPU kernels, instantiated on a memory, with their helper threads and per-thread scratch. It
 * owns the scratch and the helpers (`dispose`); the memory and everything in it belong to the caller.
 */
export class CpuEngine {
  /** This thread's instance of the kernels. */
  private readonly kernels: CpuKernelExports;
  private disposed = false;
  /** Time per kernel while profiling (null otherwise). */
  private timings: Map<CpuKernel, { calls: number; ms: number }> | null = null;

  private constructor(
    readonly memory: WebAssembly.Memory,
    readonly heap: HeapAllocator,
    private readonly pool: KernelThreadPool | null,
    readonly threads: number,
    instance: WebAssembly.Instance,
    /** First byte of thread 0's scratch; thread t's is at scratch + t · scratchStride. */
    readonly scratch: number,
    readonly scratchStride: number,
    private readonly scratchAllocation: number,
  ) {
    this.kernels = instance.exports as unknown as CpuKernelExports;
  }

  /** Instantiates the kernels here and on `threads − 1` helpers, and allocates their scratch. */
  static async create(options: CpuEngineOptions): Promise<CpuEngine> {
    const { module, memory, heap, threads } = options;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    if (threads > 1 && !shared) throw new Error('CPU kernel threads need a shared WebAssembly.Memory');
    if (threads > 1 && !options.spawn) throw new Error('CPU kernel threads need a way to start them (spawn)');
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const exports = instance.exports as unknown as CpuKernelExports;
    const stride = Math.ceil(exports.scratchBytesPerThread() / ALIGN) * ALIGN;
    const allocation = heap.malloc(stride * threads + ALIGN);
    if (!allocation) throw new Error('the CPU kernels could not allocate their scratch memory');
    const scratch = Math.ceil(allocation / ALIGN) * ALIGN;
    let pool: KernelThreadPool | null = null;
    try {
      if (threads > 1 && options.spawn) pool = await KernelThreadPool.start(module, memory, threads, options.spawn);
    } catch (err) {
      heap.free(allocation);
      throw err;
    }
    return new CpuEngine(memory, heap, pool, threads, instance, scratch, stride, allocation);
  }

  /** True when this build fuses multiply-adds (relaxed SIMD). */
  get fma(): boolean {
    return this.kernels.fusedMultiplyAdd() === 1;
  }

  /** Runs `kernel` on every thread (or on `threads` of them) and returns when all are done. */
  run(kernel: CpuKernel, args: readonly number[], threads = this.threads): void {
    if (this.disposed) throw new Error('the CPU engine was disposed');
    const own = this.kernels[kernel];
    const used = Math.max(1, Math.min(threads, this.threads));
    const start = this.timings ? performance.now() : 0;
    if (this.pool === null || used === 1) own(...args, 0, 1);
    else this.pool.run(kernel, args, used, own);
    if (this.timings) {
      const entry = this.timings.get(kernel) ?? { calls: 0, ms: 0 };
      entry.calls += 1;
      entry.ms += performance.now() - start;
      this.timings.set(kernel, entry);
    }
  }

  /** Starts timing every kernel run (for profiles; costs a clock read per run). */
  startProfile(): void {
    this.timings = new Map();
  }

  /** Stops timing and returns each kernel's calls and wall time since `startProfile`, largest first. */
  stopProfile(): { name: CpuKernel; calls: number; ms: number }[] {
    const out = [...(this.timings ?? new Map<CpuKernel, { calls: number; ms: number }>())].map(([name, t]) => ({ name, ...t }));
    this.timings = null;
    return out.sort((a, b) => b.ms - a.ms);
  }

  /**
   * Runs `body` with temporary buffers of the given byte sizes (cache-line aligned, contents
   * undefined, 64 bytes of slack each), freed afterwards even if it throws.
   */
  withBuffers<T>(bytes: readonly number[], body: (pointers: number[]) => T): T {
    const allocations: number[] = [];
    try {
      const pointers = bytes.map((b) => {
        const a = this.heap.malloc(b + 2 * ALIGN);
        if (!a) throw new Error(`the CPU kernels could not allocate ${b} bytes`);
        allocations.push(a);
        return Math.ceil(a / ALIGN) * ALIGN;
      });
      return body(pointers);
    } finally {
      for (const a of allocations) this.heap.free(a);
    }
  }

  /** A float32 view of the whole memory, taken now (an allocation may grow the memory and detach it). */
  floats(): Float32Array {
    return new Float32Array(this.memory.buffer);
  }

  /** Stops the helpers and frees the scratch. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.pool?.stop();
    this.heap.free(this.scratchAllocation);
  }
}
