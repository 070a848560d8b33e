import type { ResNet50 } from '../ml/model.ts';
import type { Dataset } from '../data/dataset.ts';
import type { EpochMetrics, TrainConfig } from '../shared/types.ts';

/**
 * Trained models kept on the GPU for predict/export. Each ResNet50 holds ~100 MB of float32
 * weights; past this many, the oldest finished run's model is released (its metrics stay).
 */
export const MAX_KEPT_MODELS = 6;

export type RunStatus = 'running' | 'completed' | 'stopped' | 'early-stopped' | 'failed';

/** One training run as the worker holds it. The record owns `model` until `releaseModel`. */
export interface RunRecord {
  readonly runId: string;
  readonly config: TrainConfig;
  readonly classes: readonly string[];
  /** The dataset the run trained on (validation images for the confusion-matrix drill-down); null for an imported run. */
  readonly dataset: Dataset | null;
  /** Set for a run trained elsewhere: "trained in PyTorch … on …". */
  readonly origin?: string;
  readonly weightsLabel: string;
  model: ResNet50 | null;
  status: RunStatus;
  stopRequested: boolean;
  readonly history: EpochMetrics[];
  /** Validation predictions of the last evaluated epoch, for the confusion-matrix drill-down. */
  validationPredictions: Int32Array | null;
}

export interface RunStore {
  readonly active: RunRecord | null;
  get(runId: string): RunRecord | undefined;
  /** Registers a new running run; it becomes the active one. */
  start(run: RunRecord): void;
  /** Marks the active run finished and releases old models past MAX_KEPT_MODELS. */
  finish(run: RunRecord, status: Exclude<RunStatus, 'running'>): void;
  /** Registers a run that finished elsewhere (imported); it never becomes the active one. */
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

/** The newest run that has finished and still holds its model, if any. */
export function newestFinishedRunId(runs: RunStore): string | undefined {
  return [...runs.all()].reverse().find((r) => r.model && r.status !== 'running')?.runId;
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
