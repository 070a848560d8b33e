/** The page's one store, built from slices; components read it through narrow selectors. */
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createBackendSlice } from './slices/backend-slice.ts';
import { createConfigSlice } from './slices/config-slice.ts';
import { createDatasetSlice } from './slices/dataset-slice.ts';
import { createEventsSlice } from './slices/events-slice.ts';
import { createRunsSlice } from './slices/runs-slice.ts';
import { createStorageSlice } from './slices/storage-slice.ts';
import { createUiSlice } from './slices/ui-slice.ts';
import { createWeightsSlice } from './slices/weights-slice.ts';
import type { LabState } from './types.ts';

/** A store API over the combined state. */
export type LabStore = StoreApi<LabState>;

/** A fresh store (the app makes one; tests make their own). */
export function createLabStore(): LabStore {
  return createStore<LabState>()((...a) => ({
    ...createBackendSlice(...a),
    ...createDatasetSlice(...a),
    ...createWeightsSlice(...a),
    ...createConfigSlice(...a),
    ...createRunsSlice(...a),
    ...createUiSlice(...a),
    ...createEventsSlice(...a),
    ...createStorageSlice(...a),
  }));
}

/** The app's store. */
export const labStore = createLabStore();

/** Reads a narrow slice of the app's store; re-renders only when the selected value changes. */
export function useLab<T>(selector: (state: LabState) => T): T {
  return useStore(labStore, selector);
}
