import { registerCpuBatchNorm } from './batch-norm.ts';
import { registerCpuConvolutions } from './conv2d.ts';
import { registerCpuGlobalAvgPool } from './global-avg-pool.ts';
import { registerSharingIdentity } from './identity.ts';
import { registerCpuMaxPool, registerCpuMaxPoolGrad } from './max-pool-grad.ts';
import { registerCpuSgd } from './sgd.ts';

/**
 * Registers the lab's CPU kernels with tfjs-backend-wasm, once, before the backend is used. They
 * compute with the engine backend.ts starts (active-engine.ts); the replaced built-ins take over for
 * what ours do not cover, and the kernels wasm lacks refuse clearly without an engine.
 */
export function registerCpuTrainingKernels(): void {
  registerCpuConvolutions();
  registerCpuMaxPool();
  registerCpuMaxPoolGrad();
  registerCpuBatchNorm();
  registerCpuGlobalAvgPool();
  registerCpuSgd();
  registerSharingIdentity();
}
