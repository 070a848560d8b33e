import { registerWasmChannelSums } from './wasm-channel-sums.ts';
import { registerWasmConv2D } from './wasm-conv2d.ts';
import { registerWasmConv2DBackpropFilter } from './wasm-conv2d-backprop-filter.ts';
import { registerWasmConv2DBackpropInput } from './wasm-conv2d-backprop-input.ts';
import { registerWasmMaxPoolGrad } from './wasm-max-pool-grad.ts';

/**
 * Training kernels for the wasm backend, registered once before the backend is used: the filter
 * gradient tfjs-backend-wasm 4.22 lacks, an input gradient that replaces its slow built-in one, a
 * forward convolution that skips the built-in one's filter setup where a matrix product is cheaper,
 * BatchNorm's per-channel sums and moments, and a max-pool gradient that reads each window once.
 */
export function registerWasmTrainingKernels(): void {
  registerWasmConv2D();
  registerWasmConv2DBackpropFilter();
  registerWasmConv2DBackpropInput();
  registerWasmChannelSums();
  registerWasmMaxPoolGrad();
}
