/**
 * Compiles the lab's CPU kernels (src/ml/cpu/assembly, AssemblyScript) to WebAssembly with npm's
 * `assemblyscript`: no system toolchain, nothing committed. One source, four builds: with or without
 * relaxed SIMD's fused multiply-add, for a shared memory (tfjs-wasm's threaded heap) or a private one
 * (its single-threaded build). Used by the Vite plugin (npm run build / dev) and by Node tests, which
 * keep compiled builds in node_modules/.cache keyed by the sources and flags.
 */
import asc from 'assemblyscript/asc';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CPU_KERNEL_BUILDS, type CpuKernelBuild } from '../../src/ml/cpu/variant.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** The AssemblyScript sources. */
export const ASSEMBLY_DIR = join(ROOT, 'src/ml/cpu/assembly');
const ENTRY = 'src/ml/cpu/assembly/index.ts';
const CACHE = join(ROOT, 'node_modules/.cache/expression-lab-cpu-kernels');

/** asc's flags for one build. The module imports its memory and must hold no data segment of its own. */
export function ascFlags(build: CpuKernelBuild): string[] {
  const flags = ['-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=', '--importMemory', '--noExportMemory'];
  flags.push('--initialMemory', '1', '--enable', 'simd');
  if (build.fma) flags.push('--enable', 'relaxed-simd');
  if (build.sharedMemory) flags.push('--maximumMemory', '65536', '--sharedMemory', '--enable', 'threads');
  return flags;
}

/** The AssemblyScript source files, for watching and hashing. */
export function assemblySources(): string[] {
  return readdirSync(ASSEMBLY_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(ASSEMBLY_DIR, f));
}

/** Compiles one build; throws with asc's diagnostics on an error. */
export async function compileCpuKernels(build: CpuKernelBuild): Promise<Uint8Array> {
  let binary: Uint8Array | null = null;
  const stderr: string[] = [];
  const { error } = await asc.main([ENTRY, ...ascFlags(build), '--outFile', 'kernels.wasm'], {
    readFile: (name, baseDir) => {
      const path = resolve(baseDir, name);
      return existsSync(path) ? readFileSync(path, 'utf8') : null;
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents;
    },
    listFiles: (dir, baseDir) => readdirSync(resolve(baseDir, dir)).filter((f) => f.endsWith('.ts')),
    stdout: { write: () => true } as never,
    stderr: { write: (s: string | Uint8Array) => (stderr.push(String(s)), true) } as never,
    baseDir: ROOT,
  } as Parameters<typeof asc.main>[1]);
  if (error || binary === null)
    throw new Error(`AssemblyScript build ${build.name} failed: ${error?.message ?? 'no binary'}\n${stderr.join('')}`);
  return binary;
}

/** {@link compileCpuKernels}, cached on disk by the hash of the sources, the flags and asc's version. */
export async function cachedCpuKernels(build: CpuKernelBuild): Promise<Uint8Array> {
  const hash = createHash('sha256');
  hash.update(asc.version).update(JSON.stringify(ascFlags(build)));
  for (const file of assemblySources()) hash.update(file).update(readFileSync(file));
  const path = join(CACHE, `${build.name}-${hash.digest('hex').slice(0, 16)}.wasm`);
  if (existsSync(path)) return new Uint8Array(readFileSync(path));
  const binary = await compileCpuKernels(build);
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(path, binary);
  return binary;
}

/** Every build, by name. */
export async function compileAllCpuKernels(): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const build of CPU_KERNEL_BUILDS) out.set(build.name, await compileCpuKernels(build));
  return out;
}
