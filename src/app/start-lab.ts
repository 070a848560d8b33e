import { LabClient } from '../client/lab-client.ts';
import { connectStore } from '../client/connect-store.ts';
import { installLeaveGuard } from '../client/leave-guard.ts';
import { createStorageCommands } from '../client/storage-commands.ts';
import { claimLab } from '../client/tab-lock.ts';
import { BACKEND_NAMES, type BackendName } from '../shared/types.ts';
import { syncConfigWithHash } from '../state/hash-sync.ts';
import { labStore } from '../state/store.ts';
import type { LabHandle } from '../ui/common/lab-context.ts';

declare global {
  interface Window {
    /** For end-to-end tests: kills the training worker as a crash would. */
    __expressionLab?: { crashWorker(): void; loseGpuDevice(): void };
  }
}

let lab: LabHandle | null = null;

/** `?backend=webgpu|wasm|webgl|cpu` forces the backend at start; anything else is automatic. */
function preferredBackend(search: string): BackendName | 'auto' {
  const value = new URLSearchParams(search).get('backend');
  return BACKEND_NAMES.find((name) => name === value) ?? 'auto';
}

/** After a second crash on the same backend, another one the device offered; else the same choice. */
function backendAfterCrash(crashes: number): BackendName | 'auto' {
  const { info, preferred } = labStore.getState().backend;
  if (crashes < 2 || !info) return preferred;
  return info.available.find((b) => b !== info.backend) ?? preferred;
}

/**
 * Starts the worker once per page (React StrictMode renders twice), connects it to the store,
 * mirrors the setup in the URL hash, asks for a backend, restores the saved lab (dataset, runs)
 * and picks up pretrained weights that are already here, so a returning user finds their work.
 * A crashed worker is restarted and the lab reopened; interrupted runs offer Resume.
 */
export function startLab(): LabHandle {
  if (lab) return lab;
  const client = LabClient.start();
  const { commands } = connectStore(client, labStore);
  const storage = createStorageCommands(client, labStore);
  syncConfigWithHash(labStore);
  let claimed = false;
  const openStoredLab = () => {
    if (claimed) return void storage.openLab(labStore.getState().storage.heldElsewhere !== null);
    claimed = true;
    claimLab(labStore, (readOnly) => void storage.openLab(readOnly));
  };
  const boot = (preferred: BackendName | 'auto') => {
    commands.initBackend(preferred);
    openStoredLab();
    commands.loadAvailableWeights();
  };
  boot(preferredBackend(location.search));
  let crashes = 0;
  client.onCrash(() => {
    crashes += 1;
    client.restart();
    boot(backendAfterCrash(crashes));
  });
  void navigator.storage?.persist?.().then(
    (persisted) => labStore.getState().setPersisted(persisted),
    () => labStore.getState().setPersisted(null),
  );
  installLeaveGuard(labStore);
  window.__expressionLab = {
    crashWorker: () => client.crashed('The training worker was killed (by the test).'),
    loseGpuDevice: () => client.send({ type: 'backend/loseDevice' }),
  };
  lab = { commands, storage };
  return lab;
}
