/**
 * What the active backend has room for, read before a run starts (see memory-estimate.ts). WASM:
 * every tensor, and the lab's CPU kernels' scratch, live in tfjs-wasm's one heap (the kernels import
 * that memory and hold none of their own), which grows up to tfjs-wasm's maximum of 4 GiB less a
 * page; what is held is the live tensors. WebGPU: the device's buffer limits as tfjs-webgpu requested
 * them from the adapter, and the bytes its buffer pool has allocated.
 */
import * as tf from '@tensorflow/tfjs';
import type { MemoryLimit } from './memory-estimate.ts';

/** tfjs-backend-wasm 4.22's heap maximum (emscripten's getHeapMax: 65,535 pages of 64 KiB). */
export const WASM_HEAP_MAX_BYTES = 4_294_901_760;

/** The limit of the active backend, or null where the lab does not check (WebGL, CPU). */
export function activeMemoryLimit(): MemoryLimit | null {
  const name = tf.getBackend();
  if (name === 'wasm') {
    // JavaScript cannot read a WebAssembly.Memory's maximum (a shared heap's buffer states its current
    // size as its maxByteLength), so the build's own limit is used: both tfjs-wasm builds grow to it.
    return { backend: 'wasm', limitBytes: WASM_HEAP_MAX_BYTES, heldBytes: tf.memory().numBytes, maxBindingBytes: null };
  }
  if (name === 'webgpu') {
    const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
    if (!device) return null;
    const memory = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
    return {
      backend: 'webgpu',
      limitBytes: device.limits.maxBufferSize,
      heldBytes: memory.numBytesAllocatedInGPU ?? memory.numBytes,
      maxBindingBytes: device.limits.maxStorageBufferBindingSize,
    };
  }
  return null;
}
