import type { SliceCreator, StorageSlice } from '../types.ts';

/** What the lab keeps in the browser's storage; filled by `lab/opened` and `storage/*` events. */
export const createStorageSlice: SliceCreator<StorageSlice> = (set) => ({
  storage: { open: false, info: null, persisted: null, keepCheckpoints: 'last-and-best', error: null },
  setPersisted: (persisted) => set((s) => ({ storage: { ...s.storage, persisted } })),
  setKeepCheckpoints: (keepCheckpoints) => set((s) => ({ storage: { ...s.storage, keepCheckpoints } })),
});
