/** The shape of the store: one interface per slice, combined into LabState. */
import type { StateCreator } from 'zustand';
import type { WorkerEvent } from '../shared/protocol.ts';
import type {
  BackendInfo,
  BackendName,
  BatchMetrics,
  DatasetEdit,
  DatasetSummary,
  CheckpointSettings,
  EpochMetrics,
  MemoryRefusal,
  ResumePoint,
  RunQueue,
  StorageInfo,
  TrainConfig,
  WeightsInfo,
} from '../shared/types.ts';
import type { RegimeId, ResNetBlock } from '../shared/regimes.ts';
import type { LabConfig } from './config-defaults.ts';

/** Lifecycle of anything loaded from the worker. */
export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'failed';

/** The compute backend the worker runs on. */
export interface BackendSlice {
  readonly backend: {
    readonly status: LoadStatus;
    readonly preferred: BackendName | 'auto';
    readonly info: BackendInfo | null;
    readonly error: string | null;
    /** The WebGPU device was lost in this page's life (the message said why): runs offer Resume on WASM. */
    readonly deviceLost?: string;
  };
  /** How the page is cross-origin isolated (WASM threads), or why not; null until the page knows. */
  readonly isolation: PageIsolation | null;
  /** A `backend/init` is on its way. */
  backendRequested(preferred: BackendName | 'auto'): void;
  isolationFound(isolation: PageIsolation): void;
}

/**
 * What makes the page cross-origin isolated (SharedArrayBuffer, so WASM threads): the server's
 * COOP/COEP headers, or the lab's service worker adding them; or why it is not (one WASM thread).
 */
export type PageIsolation =
  { readonly by: 'server' } | { readonly by: 'service-worker' } | { readonly by: 'none'; readonly reason: string };

/** How far a dataset import has got, per phase. */
export interface DatasetProgress {
  readonly phase: 'unzipping' | 'decoding' | 'splitting';
  readonly done: number;
  readonly total: number;
}

/** The dataset held in the worker. */
export interface DatasetSlice {
  readonly dataset: {
    readonly status: LoadStatus;
    readonly requestId: string | null;
    readonly sourceName: string | null;
    readonly progress: DatasetProgress | null;
    readonly summary: DatasetSummary | null;
    readonly error: string | null;
    /** The person cancelled the load in progress; its error event is then no failure. */
    readonly cancelRequested: boolean;
    /** The person's edits of the loaded dataset (relabelled, excluded images), as the worker holds them. */
    readonly edits: readonly DatasetEdit[];
  };
  /** A `dataset/load` is on its way; events for other requestIds are ignored from now on. */
  datasetRequested(requestId: string, sourceName: string): void;
  datasetCancelRequested(): void;
}

/** How far a weights download or conversion has got. */
export interface WeightsProgress {
  readonly phase: 'downloading' | 'converting' | 'caching';
  readonly loadedBytes: number;
  readonly totalBytes: number | null;
  /** ms since epoch of the first progress event, for the ETA. */
  readonly startedAt: number;
  /** ms since epoch of the latest progress event. */
  readonly updatedAt: number;
}

/** The backbone's starting weights and where they come from. */
export interface WeightsSlice {
  readonly weights: {
    readonly status: LoadStatus;
    readonly requestId: string | null;
    readonly url: string;
    readonly progress: WeightsProgress | null;
    readonly info: WeightsInfo | null;
    readonly error: string | null;
    /** The start-up look for cached or local weights: finding none is not an error worth showing. */
    readonly quietRequestId: string | null;
  };
  weightsRequested(requestId: string, quiet?: boolean): void;
  setWeightsUrl(url: string): void;
}

/** The setup the next run uses (mirrored in the URL hash). */
export interface ConfigSlice {
  readonly config: LabConfig;
  /** Picks a regime and resets the per-block learning rates to its values. */
  setRegime(regime: RegimeId): void;
  setLearningRate(block: ResNetBlock, rate: number): void;
  updateTrainConfig(patch: Partial<TrainConfig>): void;
  setValidationFraction(fraction: number): void;
  /** How the next import carves validation from train (by subject, per image, or a pattern). */
  setGrouping(patch: Partial<LabConfig['grouping']>): void;
  replaceConfig(config: LabConfig): void;
}

/**
 * A run's lifecycle; the last five are ends. `early-stopped` keeps the best epoch; `interrupted`:
 * the page or the worker went away while it trained (Resume continues it from its last checkpoint).
 */
export type RunStatus = 'starting' | 'running' | 'stopping' | 'completed' | 'stopped' | 'early-stopped' | 'failed' | 'interrupted';

/** One training step on the charts; smoothed values are an exponential moving average (0.9). */
export interface BatchPoint {
  readonly step: number;
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly smoothLoss: number;
  readonly smoothAccuracy: number;
}

/** One training run as the page knows it: its config, its series and how it ended. */
export interface Run {
  readonly id: string;
  /** 1-based, in start order. */
  readonly number: number;
  readonly config: TrainConfig;
  readonly status: RunStatus;
  readonly classes: readonly string[];
  readonly batchesPerEpoch: number;
  readonly batches: readonly BatchPoint[];
  readonly lastBatch: BatchMetrics | null;
  readonly epochs: readonly EpochMetrics[];
  readonly startedAt: number;
  readonly totalMs: number | null;
  readonly bestEpoch: number | null;
  readonly error: string | null;
  /** The worker's `tf.memory()` after the latest epoch (tensors alive and their bytes), null before one. */
  readonly memory: { readonly numTensors: number; readonly numBytes: number } | null;
  /** Linear probe fast path: backbone features cached so far, before the first epoch; null otherwise. */
  readonly features: { readonly done: number; readonly total: number } | null;
  /** Where Resume continues (the run's last resumable checkpoint); null when none is stored. */
  readonly resumeAt: ResumePoint | null;
  /** Came from an imported lab file. */
  readonly imported: boolean;
  /** A run trained elsewhere and imported: "trained in PyTorch … on …"; null for the browser's own runs. */
  readonly origin: string | null;
  /** The dataset edits it trained and was evaluated with (empty: none). */
  readonly edits: readonly DatasetEdit[];
  /** Its checkpoints were stored and are gone (the browser evicted them): metrics only. */
  readonly evicted?: boolean;
}

/** What the lab keeps in the browser's storage. */
export interface StorageSlice {
  readonly storage: {
    /** `lab/open` has answered: runs and the dataset are saved from now on. */
    readonly open: boolean;
    readonly info: StorageInfo | null;
    /** navigator.storage.persist()'s answer; null before asking or where unsupported. */
    readonly persisted: boolean | null;
    /** The checkpoint settings (the worker's stored ones once the lab is open). */
    readonly settings: CheckpointSettings;
    /** The newest checkpoint written in this page's life: its size and what writing it cost. */
    readonly lastWrite: CheckpointWrite | null;
    /** The newest failed save, in words. */
    readonly error: string | null;
    /**
     * Another tab of the lab holds its storage (Web Locks): this tab shows it read-only until that
     * tab closes. `training` names the run the other tab trains, null when it trains none.
     */
    readonly heldElsewhere: { readonly training: string | null } | null;
  };
  setPersisted(persisted: boolean | null): void;
  setHeldElsewhere(heldElsewhere: { readonly training: string | null } | null): void;
  setCheckpointSettings(settings: CheckpointSettings): void;
}

/** One checkpoint write, as `train/checkpointSaved` reported it. */
export interface CheckpointWrite {
  readonly bytes: number;
  /** From the batch boundary it was taken at to its commit, and of that the time training waited, ms. */
  readonly writeMs: number;
  readonly blockedMs: number;
  /** Written inside an epoch (else at an epoch's end, where validation waits anyway). */
  readonly midEpoch: boolean;
}

/** Every run of the session, in start order. */
export interface RunsSlice {
  readonly runs: Readonly<Record<string, Run>>;
  readonly runOrder: readonly string[];
  /** A `train/start` is on its way with this config. */
  runRequested(runId: string, config: TrainConfig, now: number): void;
  runStopRequested(runId: string): void;
  /** A `train/resume` (or `train/restart`) is on its way for an interrupted run. */
  runResumeRequested(runId: string): void;
}

/** A dismissible message: what failed (title), the worker's words (detail), what to do (hint). */
export interface Message {
  readonly id: number;
  readonly title: string;
  readonly detail: string;
  readonly hint: string;
  /** How many times the same message arrived. */
  readonly count: number;
}

/**
 * The run queue as the page drives it. `waiting`: it goes on only when the person says so (after a
 * reload, a crash, a stopped or failed run); otherwise the next regime starts when a run ends.
 */
export interface PageQueue extends RunQueue {
  readonly waiting: boolean;
}

/** A run the worker refused before it started because it would not fit in memory (see worker/memory-check.ts). */
export interface RunRefusal {
  readonly message: string;
  readonly refusal: MemoryRefusal;
  /** The settings that were refused. */
  readonly config: TrainConfig;
}

/** Page-only state: overlay selection, messages, the run-all queue, the focused run. */
export interface UiSlice {
  /** The latest Start refused for memory, with the batch that fits; cleared by the next Start or dismissed. */
  readonly refusal: RunRefusal | null;
  dismissRefusal(): void;
  readonly selectedRunIds: readonly string[];
  readonly messages: readonly Message[];
  /** "Run all four regimes": its runs, kept with the lab (see RunQueue); null when there is none. */
  readonly queue: PageQueue | null;
  /** The run the person picked for Evaluation, Try it and Export; null follows the default (see selectFocusedRunId). */
  readonly focusedRunId: string | null;
  toggleRunSelected(runId: string): void;
  focusRun(runId: string | null): void;
  pushMessage(message: Omit<Message, 'id' | 'count'>): void;
  dismissMessage(id: number): void;
  setQueue(queue: UiSlice['queue']): void;
}

/** Where worker events enter the store. */
export interface EventsSlice {
  /** Applies worker events in order with one `set`. `now` stamps run starts and download ETAs. */
  applyEvents(events: readonly WorkerEvent[], now: number): void;
}

/** The whole store. */
export type LabState = BackendSlice & DatasetSlice & WeightsSlice & ConfigSlice & RunsSlice & UiSlice & EventsSlice & StorageSlice;

/** A slice creator over the combined state. */
export type SliceCreator<T> = StateCreator<LabState, [], [], T>;
