/**
 * Which build of the CPU kernels runs, and how it is named in the UI: the instruction set (WebAssembly
 * SIMD, plus relaxed SIMD's fused multiply-add where the engine validates it) and the memory the
 * kernels share with tfjs-wasm (shared when its threaded build runs, so our threads can work on it).
 * DOM-free and tf-free.
 */
import { relaxedSimd, simd } from 'wasm-feature-detect';

/** One compiled build of src/ml/cpu/assembly. */
export interface CpuKernelBuild {
  /** File-name part: simd, simd-fma, simd-shared, simd-fma-shared. */
  readonly name: string;
  /** Relaxed SIMD fused multiply-add instead of a multiply and an add. */
  readonly fma: boolean;
  /** Imports a shared memory (threads) instead of a private one. */
  readonly sharedMemory: boolean;
}

/** Every build the Vite plugin emits and the tests compile. */
export const CPU_KERNEL_BUILDS: readonly CpuKernelBuild[] = [false, true].flatMap((sharedMemory) =>
  [false, true].map((fma) => ({ name: `simd${fma ? '-fma' : ''}${sharedMemory ? '-shared' : ''}`, fma, sharedMemory })),
);

/** The build with these features. */
export function cpuKernelBuild(fma: boolean, sharedMemory: boolean): CpuKernelBuild {
  const build = CPU_KERNEL_BUILDS.find((b) => b.fma === fma && b.sharedMemory === sharedMemory);
  if (!build) throw new Error(`no CPU kernel build with fma=${fma}, shared=${sharedMemory}`);
  return build;
}

/** What this engine's WebAssembly offers the kernels. */
export interface CpuFeatures {
  readonly simd: boolean;
  readonly relaxedSimd: boolean;
}

/** Asks the engine (WebAssembly.validate of tiny modules, via wasm-feature-detect). */
export async function detectCpuFeatures(): Promise<CpuFeatures> {
  const [hasSimd, hasRelaxed] = await Promise.all([simd(), relaxedSimd()]);
  return { simd: hasSimd, relaxedSimd: hasRelaxed };
}

/** Forces a variant for tests and benchmarks: 'simd' or 'fma' (tfjs flag EXPRESSION_LAB_CPU_VARIANT, or 'auto'). */
export type CpuVariantChoice = 'auto' | 'simd' | 'fma';

/** The instruction set to run: FMA where validated unless forced off; forcing FMA where it does not validate is an error. */
export function chooseFma(features: CpuFeatures, choice: CpuVariantChoice): boolean {
  if (choice === 'simd') return false;
  if (choice === 'fma') {
    if (!features.relaxedSimd) throw new Error('relaxed SIMD (FMA) was forced, but this browser does not validate it');
    return true;
  }
  return features.relaxedSimd;
}

/** "WASM SIMD + FMA, 2 threads": the running variant, as the Model panel and `lab info` name it. */
export function describeCpuVariant(fma: boolean, threads: number): string {
  return `WASM SIMD${fma ? ' + FMA' : ''}, ${threads} thread${threads === 1 ? '' : 's'}`;
}
