/**
 * Where the CPU kernels meet tfjs-backend-wasm: its memory (the heap every wasm tensor lives in),
 * its malloc/free, and a tensor's address there. The kernels read and write tensors in place, with no
 * copy in or out. These are tfjs-backend-wasm 4.22 internals, read in one place, each checked.
 */
import type * as tf from '@tensorflow/tfjs';
import type { HeapAllocator } from './engine.ts';

/** The parts of BackendWasm used here. */
interface BackendWasmInternals {
  readonly wasm: {
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    readonly asm?: { readonly memory?: WebAssembly.Memory };
  };
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number; refCount: number } | undefined };
}

function internals(backend: tf.KernelBackend): BackendWasmInternals {
  const b = backend as unknown as Partial<BackendWasmInternals>;
  if (!b.wasm || typeof b.wasm._malloc !== 'function' || !b.dataIdMap) throw new Error('the CPU kernels need the tfjs wasm backend');
  return b as BackendWasmInternals;
}

/** Byte address of a tensor's data on the wasm heap. */
export function heapAddress(backend: tf.KernelBackend, info: tf.TensorInfo): number {
  const data = internals(backend).dataIdMap.get(info.dataId);
  if (!data) throw new Error('a tensor passed to a CPU kernel has no data on the wasm heap');
  // `>>> 0`: addresses past 2 GiB come back from malloc as negative int32.
  return data.memoryOffset >>> 0;
}

/** How many tensors share this tensor's data (clones and reshapes share it; in-place writes need 1). */
export function heapRefCount(backend: tf.KernelBackend, info: tf.TensorInfo): number {
  return internals(backend).dataIdMap.get(info.dataId)?.refCount ?? 0;
}

/** tfjs-wasm's own malloc and free, for the kernels' scratch and temporary buffers. */
export function wasmHeapAllocator(backend: tf.KernelBackend): HeapAllocator {
  const { wasm } = internals(backend);
  return { malloc: (bytes) => wasm._malloc(bytes) >>> 0, free: (pointer) => wasm._free(pointer) };
}

let captured: WebAssembly.Memory | null = null;

/**
 * Runs `start` (the wasm backend's first initialisation) while noting the memory its module is
 * instantiated with: the threaded build imports it (env.memory) and keeps it to itself. The single-
 * threaded build exports it instead, which {@link wasmHeapMemory} reads. WebAssembly.instantiate and
 * instantiateStreaming are wrapped only while `start` runs.
 */
export async function captureWasmHeapMemory<T>(start: () => Promise<T>): Promise<T> {
  const wa = WebAssembly as unknown as Record<
    'instantiate' | 'instantiateStreaming',
    (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>
  >;
  const originals = { instantiate: wa.instantiate, instantiateStreaming: wa.instantiateStreaming };
  const note = (imports?: WebAssembly.Imports): void => {
    const memory = imports?.env?.memory;
    if (memory instanceof WebAssembly.Memory) captured = memory;
  };
  for (const name of ['instantiate', 'instantiateStreaming'] as const) {
    const original = originals[name];
    if (typeof original !== 'function') continue;
    wa[name] = (source, imports) => {
      note(imports);
      return original.call(WebAssembly, source, imports);
    };
  }
  try {
    return await start();
  } finally {
    Object.assign(wa, originals);
  }
}

/** The memory of tfjs-wasm's heap: exported by its single-threaded build, captured for its threaded one. */
export function wasmHeapMemory(backend: tf.KernelBackend): WebAssembly.Memory {
  const exported = internals(backend).wasm.asm?.memory;
  const memory = exported instanceof WebAssembly.Memory ? exported : captured;
  if (!memory) throw new Error("the wasm backend's memory could not be found (was it started through captureWasmHeapMemory?)");
  return memory;
}
