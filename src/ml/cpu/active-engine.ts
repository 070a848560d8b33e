import type { CpuEngine } from './engine.ts';

let active: CpuEngine | null = null;

/** Makes `engine` the one the registered tfjs kernels compute with (null: none, they fall back or refuse). */
export function setActiveCpuEngine(engine: CpuEngine | null): void {
  if (active && active !== engine) active.dispose();
  active = engine;
}

/** The engine the tfjs kernels compute with, or null before the wasm backend started it. */
export function activeCpuEngine(): CpuEngine | null {
  return active;
}
