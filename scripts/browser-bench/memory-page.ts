/**
 * Runs in headless Chromium for `npm run bench:memory`: one fresh backend (the app's own WASM with
 * its CPU kernels, or WebGPU), a ResNet50, two training steps of one regime, and what they cost in
 * memory: on WASM the heap's growth (WebAssembly.Memory byteLength, which never shrinks, so after
 * the steps it is their peak; tfjs-wasm frees inside the module, so JavaScript cannot follow the live
 * bytes), on WebGPU the bytes the device allocated (tf.memory(): its buffer pool keeps them).
 */
import * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../../src/ml/backend.ts';
import { wasmHeapMemory } from '../../src/ml/cpu/tfjs-wasm-heap.ts';
import { buildResNet50 } from '../../src/ml/resnet50.ts';
import type { RegimeId } from '../../src/shared/regimes.ts';
import { syntheticStep } from '../bench/synthetic-step.ts';
import { reportToBench } from './report.ts';

/** Measured bytes, all relative to the moment before the model was built. */
export interface MemoryPeak {
  /** WASM: the heap's growth over model and steps (byteLength); WebGPU: device bytes allocated (the pool's high water). */
  readonly peakBytes: number;
  /** What was held before the model was built (heap size on WASM, device bytes on WebGPU). */
  readonly baseBytes: number;
  readonly stepMs: number[];
  readonly adapter: string;
  /** WASM: the CPU kernels' threads. */
  readonly threads: number | null;
}

reportToBench(async (): Promise<MemoryPeak> => {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') === 'webgpu' ? 'webgpu' : 'wasm';
  const info = await chooseBackend(backend, `${location.origin}/`);
  if (info.backend !== backend) throw new Error(`the ${backend} backend did not start: ${info.reason}`);
  const size = Number(params.get('size'));
  const batch = Number(params.get('batch'));
  const steps = Number(params.get('steps') ?? 2);
  const wasm = backend === 'wasm';
  const heap = (): number => wasmHeapMemory(tf.backend()).buffer.byteLength;
  const device = (): number => (tf.memory() as { numBytesAllocatedInGPU?: number }).numBytesAllocatedInGPU ?? 0;
  const baseBytes = wasm ? heap() : device();
  const model = buildResNet50({ numClasses: 7, seed: 1 });
  const step = syntheticStep(model, params.get('regime') as RegimeId, size, batch);
  const stepMs: number[] = [];
  try {
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      await step.run();
      stepMs.push(performance.now() - start);
    }
    const peakBytes = wasm ? heap() - baseBytes : device() - baseBytes;
    return { peakBytes, baseBytes, stepMs, adapter: info.adapter, threads: info.threads };
  } finally {
    step.dispose();
    model.dispose();
  }
});
