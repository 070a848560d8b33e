import { DEFAULT_CHECKPOINT_SETTINGS } from '../../shared/train-defaults.ts';
import type { SliceCreator, StorageSlice } from '../types.ts';

/** What the lab keeps in the browser's storage; filled by `lab/opened` and `storage/*` events. */
export const createStorageSlice: SliceCreator<StorageSlice> = (set) => ({
  storage: {
    open: false,
    info: null,
    persisted: null,
    settings: DEFAULT_CHECKPOINT_SETTINGS,
    lastWrite: null,
    error: null,
    heldElsewhere: null,
  },
  setPersisted: (persisted) => set((s) => ({ storage: { ...s.storage, persisted } })),
  setHeldElsewhere: (heldElsewhere) => set((s) => ({ storage: { ...s.storage, heldElsewhere } })),
  setCheckpointSettings: (settings) => set((s) => ({ storage: { ...s.storage, settings } })),
});
