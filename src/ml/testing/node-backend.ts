import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../wasm-kernels.ts';

/** Absolute directory of tfjs-backend-wasm's .wasm files, from this file's location in the repo. */
const WASM_DIR = new URL('../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname;

let wasmConfigured = false;

/**
 * Selects the wasm backend in Node (Vitest), single-threaded: the CI box is small and shared,
 * and one thread keeps results identical from run to run. `register` adds kernels first (a
 * kernel's own test passes just that kernel's registration, to test it alone). Registrations are
 * idempotent.
 */
export async function useWasmBackendWith(register: () => void): Promise<void> {
  if (!wasmConfigured) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(WASM_DIR);
    wasmConfigured = true;
  }
  register();
  if (!(await tf.setBackend('wasm'))) throw new Error(`tfjs wasm backend failed to start (wasm files at ${WASM_DIR})`);
  await tf.ready();
}

/** {@link useWasmBackendWith} every training kernel the lab registers on wasm (wasm-kernels.ts). */
export function useWasmBackend(): Promise<void> {
  return useWasmBackendWith(registerWasmTrainingKernels);
}

/** Selects the plain-JS cpu backend, the slow reference. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * Kernels that backpropagation through ResNet50 needs. The wasm backend lacked
 * Conv2DBackpropFilter until src/ml/wasm-conv2d-backprop-filter.ts; tests ask here rather than
 * assume, and fall back to cpu for gradients when something is missing.
 */
export const RESNET50_GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Step'] as const;

/** True when every kernel in {@link RESNET50_GRADIENT_KERNELS} is registered for `backend`. */
export function canBackpropagate(backend: string): boolean {
  return RESNET50_GRADIENT_KERNELS.every((k) => tf.getKernel(k, backend) !== undefined);
}
