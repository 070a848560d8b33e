import type { DatasetSlice, SliceCreator } from '../types.ts';

/** The dataset held in the worker: loading progress, then its summary. */
export const createDatasetSlice: SliceCreator<DatasetSlice> = (set) => ({
  dataset: {
    status: 'idle',
    requestId: null,
    sourceName: null,
    progress: null,
    summary: null,
    error: null,
    cancelRequested: false,
    edits: [],
  },
  datasetRequested: (requestId, sourceName) =>
    set((s) => ({
      dataset: { ...s.dataset, status: 'loading', requestId, sourceName, progress: null, error: null, cancelRequested: false },
    })),
  datasetCancelRequested: () => set((s) => ({ dataset: { ...s.dataset, cancelRequested: true } })),
});
