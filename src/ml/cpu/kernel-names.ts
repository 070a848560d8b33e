/** The CPU kernels' exports a thread may run, by index: the pool sends the index, not the name. */
export const CPU_KERNELS = [
  'convGemm',
  'convFilterGrad',
  'padCopy',
  'batchNormForward',
  'batchNormBackward',
  'maxPool',
  'maxPoolGrad',
  'globalAvgPool',
  'globalAvgPoolGrad',
  'sgdMomentum',
] as const;

/** One kernel's name. Each takes its own arguments, then the thread index and the thread count. */
export type CpuKernel = (typeof CPU_KERNELS)[number];

/** A kernel export as JavaScript sees it: numbers in (pointers, sizes, floats), nothing out. */
export type KernelFunction = (...args: number[]) => void;

/** The instance's exports the lab uses. */
export type CpuKernelExports = Record<CpuKernel, KernelFunction> & { scratchBytesPerThread(): number; fusedMultiplyAdd(): number };
