import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter.ts';

/** Kernels tfjs-backend-wasm 4.22 lacks for training, registered once before the backend is used. */
export function registerWasmTrainingKernels(): void {
  registerWasmConv2DBackpropFilter();
}
