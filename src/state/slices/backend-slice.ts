import type { BackendSlice, SliceCreator } from '../types.ts';

/** The compute backend the worker chose (WebGPU, WASM, WebGL or CPU) and why. */
export const createBackendSlice: SliceCreator<BackendSlice> = (set) => ({
  backend: { status: 'idle', preferred: 'auto', info: null, error: null },
  isolation: null,
  backendRequested: (preferred) => set((s) => ({ backend: { ...s.backend, status: 'loading', preferred, error: null } })),
  isolationFound: (isolation) => set({ isolation }),
});
