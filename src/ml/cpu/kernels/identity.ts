import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './replace-kernel.ts';

/** The parts of BackendWasm that sharing data needs. */
interface RefCounting {
  incRef(dataId: object): void;
}

/**
 * Identity shares its input's data (one more reference) instead of copying it, as tfjs' cpu backend
 * does. The gradient tape clones every tensor it saves (~1,200 a ResNet50 step); on wasm each clone
 * was a copy of an activation. Nothing on wasm writes into a tensor's data after it is made (the
 * optimizer too writes new buffers), so shared data cannot change under a clone.
 */
export function registerSharingIdentity(): void {
  replaceWasmKernel(tf.Identity, (builtIn) => (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return builtIn(args);
    (args.backend as unknown as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
}
