import type { ResNet50 } from '../ml/model.ts';
import type { Dataset } from '../data/dataset.ts';
import type { BatchMetrics, DatasetEdit, EpochMetrics, ResumePoint, TrainConfig } from '../shared/types.ts';

/**
 * Trained models kept on the GPU for predict/export. Each ResNet50 holds ~100 MB of float32
 * weights; past this many, the oldest finished run's model is released (its metrics stay).
 */
export const MAX_KEPT_MODELS = 6;

/** `interrupted`: restored from storage after the page (or the worker) went away while it trained. */
export type RunStatus = 'running' | 'completed' | 'stopped' | 'early-stopped' | 'failed' | 'interrupted';

/** One training run as the worker holds it. The record owns `model` until `releaseModel`. */
export interface RunRecord {
  readonly runId: string;
  /** 1-based, in start order. */
  readonly number: number;
  readonly config: TrainConfig;
  readonly classes: readonly string[];
  /**
   * The dataset the run trained on, as edited (validation images for the confusion-matrix
   * drill-down); null for an imported or restored run without it.
   */
  readonly dataset: Dataset | null;
  /** The dataset edits it trained with (see applyDatasetEdits); absent: none. */
  readonly edits?: readonly DatasetEdit[];
  /** Identifies the dataset (see datasetKeyOf), for a Resume after a reload. */
  readonly datasetKey: string;
  readonly backend: string | null;
  /** Came from a lab file. */
  readonly imported?: boolean;
  /** Set for a run trained elsewhere: "trained in PyTorch … on …". */
  readonly origin?: string;
  /** Its checkpoints vanished between sessions (see evicted.ts); cleared when it trains again. */
  evicted?: boolean;
  readonly weightsLabel: string;
  model: ResNet50 | null;
  status: RunStatus;
  stopRequested: boolean;
  readonly history: EpochMetrics[];
  /** Batch metrics of finished epochs; those of the epoch in progress wait in `pendingBatches`. */
  readonly batches: BatchMetrics[];
  readonly pendingBatches: BatchMetrics[];
  batchesPerEpoch: number;
  bestEpoch: number;
  startedAt: number;
  totalMs: number | null;
  error: string | null;
  /** Checkpoint ids in storage (null: none kept, or storage is off). */
  lastCheckpoint: string | null;
  bestCheckpoint: string | null;
  /** Where `lastCheckpoint` stands: what Resume continues from. */
  resumeAt: ResumePoint | null;
  /** Bytes of the checkpoints kept, and of the best one alone. */
  checkpointBytes: number;
  bestBytes: number;
  /** Validation predictions of each epoch evaluated in this session, by epoch, for the confusion-matrix drill-down. */
  readonly validationPredictions: Map<number, Int32Array>;
}

/** What a new run record is made of; the rest starts empty (no metrics yet, no checkpoints). */
export type NewRun = Pick<
  RunRecord,
  'runId' | 'number' | 'config' | 'classes' | 'dataset' | 'datasetKey' | 'backend' | 'weightsLabel' | 'model' | 'status'
> &
  Partial<Pick<RunRecord, 'origin' | 'history' | 'bestEpoch' | 'edits'>>;

/** A run record as a run starts (or is imported): no batches, no checkpoints, not stopping. Keeps `init.model`'s type. */
export function newRunRecord<T extends NewRun>(init: T): RunRecord & { model: T['model'] } {
  return {
    stopRequested: false,
    history: [],
    batches: [],
    pendingBatches: [],
    batchesPerEpoch: 0,
    bestEpoch: 0,
    startedAt: Date.now(),
    totalMs: null,
    error: null,
    lastCheckpoint: null,
    bestCheckpoint: null,
    resumeAt: null,
    checkpointBytes: 0,
    bestBytes: 0,
    validationPredictions: new Map(),
    ...init,
  };
}

export interface RunStore {
  readonly active: RunRecord | null;
  get(runId: string): RunRecord | undefined;
  /** Registers a new running run; it becomes the active one. */
  start(run: RunRecord): void;
  /** Makes a restored (interrupted) run the active one again. */
  resume(run: RunRecord): void;
  remove(runId: string): void;
  /** Marks the active run finished and releases old models past MAX_KEPT_MODELS. */
  finish(run: RunRecord, status: Exclude<RunStatus, 'running'>): void;
  /** Registers a run that finished elsewhere (imported) or was restored from storage; it never becomes the active one. */
  add(run: RunRecord): void;
  all(): readonly RunRecord[];
}

/** The session's runs, oldest first. */
export function createRunStore(): RunStore {
  const runs = new Map<string, RunRecord>();
  let active: RunRecord | null = null;
  return {
    get active() {
      return active;
    },
    get: (runId) => runs.get(runId),
    start(run) {
      if (active) throw new Error(`Run ${active.runId} is still training; stop it or wait for it to finish before starting another.`);
      runs.set(run.runId, run);
      active = run;
    },
    resume(run) {
      if (active) throw new Error(`Run ${active.runId} is still training; stop it or wait for it to finish before resuming another.`);
      run.status = 'running';
      run.stopRequested = false;
      active = run;
    },
    remove(runId) {
      const run = runs.get(runId);
      if (run === active) throw new Error(`Run ${runId} is training: stop it before deleting it.`);
      run?.model?.dispose();
      runs.delete(runId);
    },
    finish(run, status) {
      run.status = status;
      if (active === run) active = null;
      const withModels = [...runs.values()].filter((r) => r.model && r !== active);
      for (const old of withModels.slice(0, Math.max(0, withModels.length - MAX_KEPT_MODELS))) {
        old.model?.dispose();
        old.model = null;
      }
    },
    add(run) {
      if (runs.has(run.runId)) throw new Error(`There is already a run ${run.runId} in this session.`);
      runs.set(run.runId, run);
      this.finish(run, run.status === 'running' ? 'completed' : run.status);
    },
    all: () => [...runs.values()],
  };
}

/** A run that has finished and still holds its model. */
export type RunWithModel = RunRecord & { model: ResNet50 };

/**
 * The checkpoint a finished run's model comes from: the live model held the last epoch's weights,
 * or the best epoch's with early stopping, so the restored one does the same.
 */
export function modelCheckpointOf(run: Pick<RunRecord, 'config' | 'lastCheckpoint' | 'bestCheckpoint'>): string | null {
  return run.config.earlyStoppingPatience > 0 ? (run.bestCheckpoint ?? run.lastCheckpoint) : (run.lastCheckpoint ?? run.bestCheckpoint);
}

/** The newest run that has finished and has a model (held, or in a stored checkpoint), if any. */
export function newestFinishedRunId(runs: RunStore): string | undefined {
  return [...runs.all()].reverse().find((r) => (r.model || modelCheckpointOf(r)) && r.status !== 'running')?.runId;
}

/** The run a command names, with its model still held; errors say what to do otherwise. */
export function runWithModel(runs: RunStore, runId: string): RunWithModel {
  const run = runs.get(runId);
  if (!run) throw new Error(`There is no run ${runId} in this session (runs live until the page is reloaded).`);
  if (!run.model && run.origin) {
    throw new Error(
      `Run ${runId} was imported without weights; import it again with its .safetensors to use it for predictions and exports.`,
    );
  }
  if (!run.model) {
    throw new Error(
      `The weights of run ${runId} were released to free GPU memory (only the latest runs keep theirs). Export runs you want to keep soon after they finish.`,
    );
  }
  if (run.status === 'running') throw new Error(`Run ${runId} is still training; wait for it to finish or stop it first.`);
  return run as RunWithModel;
}
