import type { CpuEngine } from '../engine.ts';
import type { TestHeap } from './node-engine.ts';

/** Copying test data in and out of an engine's memory. */
export interface EngineMemory {
  /** Copies `values` in; returns where. */
  put(values: Float32Array): number;
  /** Room for `length` floats, poisoned with NaN (so an unwritten value shows). */
  output(length: number): number;
  read(at: number, length: number): Float32Array;
}

/** {@link EngineMemory} over a test engine's heap. */
export function engineMemory(engine: CpuEngine, heap: TestHeap): EngineMemory {
  return {
    put(values) {
      const at = heap.malloc(values.length * 4);
      engine.floats().set(values, at / 4);
      return at;
    },
    output(length) {
      const at = heap.malloc(length * 4);
      engine.floats().fill(NaN, at / 4, at / 4 + length);
      return at;
    },
    read: (at, length) => engine.floats().slice(at / 4, at / 4 + length),
  };
}
