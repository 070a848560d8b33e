/**
 * What the page asks of the lab's storage: open it (restore after a reload), set the checkpoint
 * settings, forget things, move a lab in and out as one file.
 */
import type { ForgetTarget } from '../shared/protocol.ts';
import type { CheckpointSettings, ExportFile } from '../shared/types.ts';
import type { LabPort } from './lab-port.ts';
import type { LabStore } from '../state/store.ts';

/** Storage commands bound to one client and one store. */
export type StorageCommands = ReturnType<typeof createStorageCommands>;

/** Binds the storage commands to `port` and `store`. Errors reach the store as error events. */
export function createStorageCommands(port: LabPort, store: LabStore) {
  const ignore = () => undefined;
  return {
    /**
     * Opens the lab storage: restores the dataset, every run, the checkpoint settings and the queue,
     * and saves from now on; `readOnly` only reads them (another tab holds the lab).
     */
    openLab(readOnly = false): Promise<unknown> {
      return port.request({ type: 'lab/open', requestId: port.newId('lab'), ...(readOnly ? { readOnly } : {}) }).catch(ignore);
    },
    forget(target: ForgetTarget): Promise<unknown> {
      return port.request({ type: 'storage/forget', requestId: port.newId('forget'), target }).catch(ignore);
    },
    /** The lab file (every run, its metrics and best checkpoint); rejects with the worker's message. */
    async exportLab(): Promise<readonly ExportFile[]> {
      return (await port.request({ type: 'lab/export', requestId: port.newId('lab-export') })).files;
    },
    /** Adds a lab file's runs beside the local ones; rejects with the worker's message (nothing stored then). */
    async importLab(data: ArrayBuffer): Promise<void> {
      await port.request({ type: 'lab/import', requestId: port.newId('lab-import'), data });
    },
    /** Changes the checkpoint settings (stored with the lab through `lab/open`; a run training now uses them from its next batch). */
    setCheckpointSettings(patch: Partial<CheckpointSettings>): void {
      const settings = { ...store.getState().storage.settings, ...patch };
      store.getState().setCheckpointSettings(settings);
      port.request({ type: 'lab/open', requestId: port.newId('lab'), settings }).catch(ignore);
    },
  };
}
