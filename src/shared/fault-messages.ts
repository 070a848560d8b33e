/**
 * What the page says about faults of the browser environment, one constant or function per case,
 * so the panels, the worker and the README quote the same words.
 */

/** A run whose checkpoints were stored and are gone (the browser evicted the lab's storage). */
export const CHECKPOINT_EVICTED =
  'checkpoint evicted by the browser: the metrics are kept, the weights are gone; start again with the same settings.';

/** The banner of a tab opened while another tab holds the lab (`training`: the run that tab trains). */
export function heldByAnotherTab(training: string | null): string {
  const what = training ? `, which is training ${training}` : '';
  return (
    `Expression Lab is open in another tab${what}. This tab shows the saved lab read-only, so that no run is lost or written twice: ` +
    'training, Resume and storage changes are off here. Close the other tab and this one takes over.'
  );
}

const DEVICE_LOST = 'The WebGPU device was lost';

/** Why the worker stopped when the GPU device went away (a driver reset, a reclaimed GPU). */
export function gpuDeviceLost(reason: string): string {
  return `${DEVICE_LOST} (${reason}). The run is paused at its last checkpoint: Resume on WASM continues it on the CPU; Resume tries WebGPU again.`;
}

/** True for the message of {@link gpuDeviceLost}. */
export const isGpuDeviceLoss = (message: string | null): boolean => message?.startsWith(DEVICE_LOST) ?? false;

/** Shown in the Storage panel while the browser has not granted persistent storage. */
export const STORAGE_NOT_PERSISTENT =
  'not persistent: the browser may evict the lab’s runs and checkpoints when the disk fills up. Export the lab (below) to keep a copy; a site you use often, or install as an app, is usually granted persistence.';
