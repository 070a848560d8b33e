/// <reference types="vite/client" />

declare module 'virtual:cpu-kernels' {
  /** URL of each build of the CPU kernels (src/ml/cpu/variant.ts CPU_KERNEL_BUILDS), by name. */
  export const cpuKernelUrls: Readonly<Record<string, string>>;
}
