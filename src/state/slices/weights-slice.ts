import { DEFAULT_WEIGHTS_URL } from '../config-defaults.ts';
import type { SliceCreator, WeightsSlice } from '../types.ts';

/** The backbone's starting weights: where they came from and download progress. */
export const createWeightsSlice: SliceCreator<WeightsSlice> = (set) => ({
  weights: { status: 'idle', requestId: null, url: DEFAULT_WEIGHTS_URL, progress: null, info: null, error: null, quietRequestId: null },
  weightsRequested: (requestId, quiet = false) =>
    set((s) => ({
      weights: {
        ...s.weights,
        status: 'loading',
        requestId,
        progress: null,
        error: null,
        quietRequestId: quiet ? requestId : s.weights.quietRequestId,
      },
    })),
  setWeightsUrl: (url) => set((s) => ({ weights: { ...s.weights, url } })),
});
