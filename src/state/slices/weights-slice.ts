import { DEFAULT_WEIGHTS_URL } from '../config-defaults.ts';
import type { SliceCreator, WeightsSlice } from '../types.ts';

/** The backbone's starting weights: where they came from and download progress. */
export const createWeightsSlice: SliceCreator<WeightsSlice> = (set) => ({
  weights: { status: 'idle', requestId: null, url: DEFAULT_WEIGHTS_URL, progress: null, info: null, error: null },
  weightsRequested: (requestId) => set((s) => ({ weights: { ...s.weights, status: 'loading', requestId, progress: null, error: null } })),
  setWeightsUrl: (url) => set((s) => ({ weights: { ...s.weights, url } })),
});
