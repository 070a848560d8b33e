import { LabClient } from '../client/lab-client.ts';
import { connectStore } from '../client/connect-store.ts';
import { BACKEND_NAMES, type BackendName } from '../shared/types.ts';
import { syncConfigWithHash } from '../state/hash-sync.ts';
import { labStore } from '../state/store.ts';
import type { LabHandle } from '../ui/common/lab-context.ts';

let lab: LabHandle | null = null;

/** `?backend=webgpu|wasm|webgl|cpu` forces the backend at start; anything else is automatic. */
function preferredBackend(search: string): BackendName | 'auto' {
  const value = new URLSearchParams(search).get('backend');
  return BACKEND_NAMES.find((name) => name === value) ?? 'auto';
}

/**
 * Starts the worker once per page (React StrictMode renders twice), connects it to the store,
 * mirrors the setup in the URL hash, asks for a backend and picks up pretrained weights that are
 * already here (cache or `npm run weights`), so a returning user can press Start at once.
 */
export function startLab(): LabHandle {
  if (lab) return lab;
  const client = LabClient.start();
  const { commands } = connectStore(client, labStore);
  syncConfigWithHash(labStore);
  commands.initBackend(preferredBackend(location.search));
  commands.loadAvailableWeights();
  lab = { commands };
  return lab;
}
