/**
 * What the page asks of the lab's storage: open it (restore after a reload), resume an
 * interrupted run, forget things, move a lab in and out as one file.
 */
import type { ForgetTarget } from '../shared/protocol.ts';
import type { ExportFile, KeepCheckpoints } from '../shared/types.ts';
import type { LabPort } from './commands.ts';
import type { LabStore } from '../state/store.ts';

/** Storage commands bound to one client and one store. */
export type StorageCommands = ReturnType<typeof createStorageCommands>;

/** Binds the storage commands to `port` and `store`. Errors reach the store as error events. */
export function createStorageCommands(port: LabPort, store: LabStore) {
  const ignore = () => undefined;
  return {
    /** Opens the lab storage: restores the dataset and every run, and saves from now on. */
    openLab(): Promise<unknown> {
      const keepCheckpoints = store.getState().storage.keepCheckpoints;
      return port.request({ type: 'lab/open', requestId: port.newId('lab'), keepCheckpoints }).catch(ignore);
    },
    /** Continues an interrupted run from its last checkpoint. */
    resumeRun(runId: string): void {
      store.getState().runResumeRequested(runId);
      port.send({ type: 'train/resume', runId });
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
    /** Sets which checkpoints new epochs keep (re-sent to the worker through `lab/open`). */
    setKeepCheckpoints(keep: KeepCheckpoints): void {
      store.getState().setKeepCheckpoints(keep);
      port.request({ type: 'lab/open', requestId: port.newId('lab'), keepCheckpoints: keep }).catch(ignore);
    },
  };
}
