import { describe, expect, it } from 'vitest';
import { compileCpuKernels } from '../../../scripts/cpu-kernels/compile.ts';
import { CPU_KERNELS } from './kernel-names.ts';
import { enableRelaxedSimdInNode } from './testing/node-engine.ts';
import { CPU_KERNEL_BUILDS } from './variant.ts';

/** Ids of the sections of a WebAssembly binary, in order. */
function sectionIds(binary: Uint8Array): number[] {
  const ids: number[] = [];
  let at = 8;
  while (at < binary.length) {
    ids.push(binary[at]!);
    at++;
    let size = 0;
    let shift = 0;
    for (;;) {
      const byte = binary[at++]!;
      size |= (byte & 0x7f) << shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    at += size;
  }
  return ids;
}

const DATA_SECTION = 11;

enableRelaxedSimdInNode();

describe.each(CPU_KERNEL_BUILDS)('the CPU kernel build $name', (build) => {
  it('compiles from source, imports only its memory, holds no data of its own and exports every kernel', async () => {
    const binary = await compileCpuKernels(build);
    const module = await WebAssembly.compile(new Uint8Array(binary));
    // The module runs on tfjs-wasm's heap: a data segment would overwrite tfjs' memory at instantiation.
    expect(sectionIds(binary)).not.toContain(DATA_SECTION);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const exports = WebAssembly.Module.exports(module).map((e) => e.name);
    for (const kernel of CPU_KERNELS) expect(exports).toContain(kernel);
    expect(exports).not.toContain('memory');
  });
});
