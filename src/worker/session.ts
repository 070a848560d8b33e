import type { Dataset } from '../data/dataset.ts';
import type { HostTensor } from '../ml/weights/safetensors.ts';
import type { WorkerEvent } from '../shared/protocol.ts';
import type { BackendInfo, DatasetEdit, KeepCheckpoints, WeightsInfo } from '../shared/types.ts';
import type { LabDb } from '../storage/lab-db.ts';
import { createRunStore, type RunStore } from './runs.ts';

/** Sends one event to the page (or, in tests, to a list). Every command handler takes one. */
export type Post = (event: WorkerEvent) => void;

/**
 * Starting point of every run: a torchvision state_dict held on the CPU (torch layouts; its fc may
 * be ImageNet's 1000-way head, replaced per run), or null tensors for a seeded random init.
 */
export interface BaseWeights {
  readonly info: WeightsInfo;
  readonly tensors: ReadonlyMap<string, HostTensor> | null;
  readonly seed: number;
  /** Class names stored with an exported model (safetensors metadata or expression-lab.json), if any. */
  readonly classes: readonly string[] | null;
}

/** The open lab storage (see persistence.ts) and the user's checkpoint settings. */
export interface Persistence {
  readonly db: LabDb;
  keep: KeepCheckpoints;
  /** Mid-epoch checkpoints at most this many minutes apart; 0: at epoch ends only. */
  everyMinutes: number;
  /** Bytes of the stored dataset's pixels (kept here: reading the record would load them all). */
  datasetBytes: number;
}

/** Everything the worker holds between commands. One session per worker; it owns all GPU memory. */
export interface Session {
  /** Base URL of the app, for runtime assets (WASM binaries, a local copy of the weights). */
  readonly baseUrl: string;
  backend: BackendInfo | null;
  /** Settles once the first `backend/init` has finished: tf must not pick a backend by itself. */
  readonly backendSettled: Promise<void>;
  markBackendSettled(): void;
  dataset: Dataset | null;
  /** The person's edits of `dataset` (relabelled, excluded images), used by the next run; kept with the stored dataset. */
  datasetEdits: readonly DatasetEdit[];
  /** Cancels the import in progress, if any. */
  datasetImport: { readonly requestId: string; readonly controller: AbortController } | null;
  /** The LR sweep in progress (one at a time), and whether the person asked it to stop. */
  lrSweep: { readonly requestId: string; stopRequested: boolean } | null;
  /** Starting weights every new run is built from (null until loaded). */
  weights: BaseWeights | null;
  readonly runs: RunStore;
  /** The browser's lab storage once `lab/open` has opened it; null (nothing saved) for the lab CLI. */
  persistence: Persistence | null;
  /**
   * Settles when the `lab/open` in progress has restored what storage holds; null when none is.
   * A dataset imported meanwhile waits for it, or the restore would replace it and it would never
   * be saved (a demo chosen while the page starts was lost on reload).
   */
  labOpening: Promise<void> | null;
  /** The lab was last read by a read-only `lab/open`: the next open reads everything again. */
  viewedReadOnly: boolean;
  /** Why the WebGPU device was lost, once it was: the page replaces this worker. */
  gpuLost: string | null;
}

export function createSession(baseUrl: string): Session {
  let markBackendSettled: () => void = () => undefined;
  const backendSettled = new Promise<void>((resolve) => (markBackendSettled = resolve));
  return {
    baseUrl,
    backend: null,
    backendSettled,
    markBackendSettled,
    dataset: null,
    datasetEdits: [],
    datasetImport: null,
    lrSweep: null,
    weights: null,
    runs: createRunStore(),
    persistence: null,
    labOpening: null,
    viewedReadOnly: false,
    gpuLost: null,
  };
}
