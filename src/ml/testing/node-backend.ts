import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { activeCpuEngine, setActiveCpuEngine } from '../cpu/active-engine.ts';
import { CpuEngine } from '../cpu/engine.ts';
import { registerCpuTrainingKernels } from '../cpu/kernels/register.ts';
import { compiledCpuKernels } from '../cpu/testing/node-engine.ts';
import { wasmHeapAllocator, wasmHeapMemory } from '../cpu/tfjs-wasm-heap.ts';

/** Absolute directory of tfjs-backend-wasm's .wasm files, from this file's location in the repo. */
const WASM_DIR = new URL('../../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname;

let wasmConfigured = false;

/** The CPU kernels' instruction set in Node tests: EXPRESSION_LAB_CPU_VARIANT=simd|fma (default fma). */
export function testCpuFma(): boolean {
  return (process.env.EXPRESSION_LAB_CPU_VARIANT ?? 'fma') !== 'simd';
}

/**
 * Selects the wasm backend in Node (Vitest), single-threaded: tfjs-wasm's threaded build does not
 * start in Node, and its single-threaded heap is not shared. `register` adds kernels first (a test
 * may pass a subset); then the lab's CPU kernels start on that heap, one thread, FMA or not.
 * Registrations are idempotent.
 */
export async function useWasmBackendWith(register: () => void, fma = testCpuFma()): Promise<void> {
  if (!wasmConfigured) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(WASM_DIR);
    wasmConfigured = true;
  }
  register();
  if (!(await tf.setBackend('wasm'))) throw new Error(`tfjs wasm backend failed to start (wasm files at ${WASM_DIR})`);
  await tf.ready();
  await useCpuKernelVariant(fma);
}

/** Starts (or keeps) the CPU engine with this instruction set on the wasm backend's heap. */
export async function useCpuKernelVariant(fma: boolean): Promise<CpuEngine> {
  const current = activeCpuEngine();
  if (current && current.fma === fma) return current;
  const backend = tf.findBackend('wasm');
  if (!backend) throw new Error('start the wasm backend first');
  const engine = await CpuEngine.create({
    module: await compiledCpuKernels(fma, false),
    memory: wasmHeapMemory(backend),
    heap: wasmHeapAllocator(backend),
    threads: 1,
  });
  setActiveCpuEngine(engine);
  return engine;
}

/** {@link useWasmBackendWith} every training kernel the lab registers on wasm (cpu/kernels/register.ts). */
export function useWasmBackend(): Promise<void> {
  return useWasmBackendWith(registerCpuTrainingKernels);
}

/** Selects the plain-JS cpu backend, the slow reference. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * Kernels that backpropagation through ResNet50 needs. tfjs-backend-wasm lacks
 * Conv2DBackpropFilter (the CPU kernels add it); tests ask here rather than assume.
 */
export const RESNET50_GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'Step'] as const;

/** True when every kernel in {@link RESNET50_GRADIENT_KERNELS} is registered for `backend`. */
export function canBackpropagate(backend: string): boolean {
  return RESNET50_GRADIENT_KERNELS.every((k) => tf.getKernel(k, backend) !== undefined);
}
