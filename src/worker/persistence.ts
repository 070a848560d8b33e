/**
 * The worker's side of the lab storage: runs, checkpoints and the dataset are saved here, where
 * the weights live, so ~100 MB checkpoints never cross to the page. A failed save is reported
 * (`storage/failed`) and never fails the run: what was stored before stays as it was.
 */
import type { ResNet50 } from '../ml/model.ts';
import { buildResNet50 } from '../ml/resnet50.ts';
import { applyTrainingState, readTrainingState } from '../ml/train/checkpoint.ts';
import type { MomentumSgd } from '../ml/train/sgd.ts';
import type { SavedRunStatus, SavedRunView, StorageInfo } from '../shared/types.ts';
import { commitCheckpoint, getCheckpoint, listRuns, putRun, type LabDb } from '../storage/lab-db.ts';
import { packTensors, unpackTensors } from '../storage/pack.ts';
import type { StoredRun } from '../storage/schema.ts';
import type { Persistence, Post, Session } from './session.ts';
import { modelCheckpointOf, runWithModel, type RunRecord, type RunWithModel } from './runs.ts';

/** Says why a save failed, in words a person can act on. */
export function saveFailure(err: unknown, what: string): string {
  const detail = err instanceof Error ? err.message : String(err);
  const quota = /quota/i.test(detail) || (err instanceof DOMException && err.name === 'QuotaExceededError');
  return quota
    ? `Saving ${what} failed: the browser's storage quota is used up. Everything saved before is kept; forget old runs, checkpoints or the dataset (Storage panel) to make room.`
    : `Saving ${what} failed (${detail}). Everything saved before is kept.`;
}

/** The record storage holds for `run`; a running run is saved as `running` (read back: interrupted). */
export function storedRunOf(run: RunRecord): StoredRun {
  const status: SavedRunStatus = run.status === 'interrupted' ? 'running' : run.status;
  return {
    runId: run.runId,
    number: run.number,
    config: run.config,
    classes: run.classes,
    weightsLabel: run.weightsLabel,
    backend: run.backend,
    datasetKey: run.datasetKey,
    status,
    history: [...run.history],
    batches: [...run.batches],
    batchesPerEpoch: run.batchesPerEpoch,
    bestEpoch: run.bestEpoch,
    startedAt: run.startedAt,
    totalMs: run.totalMs,
    error: run.error,
    lastCheckpoint: run.lastCheckpoint,
    bestCheckpoint: run.bestCheckpoint,
    checkpointBytes: run.checkpointBytes,
    ...(run.imported ? { imported: true } : {}),
    ...(run.origin ? { origin: run.origin } : {}),
  };
}

const epochOfCheckpoint = (id: string | null): number | null => (id ? Number(id.slice(id.lastIndexOf('/e') + 2)) : null);

/** What the page is told about a stored run. */
export function viewOf(run: StoredRun): SavedRunView {
  const { datasetKey: _d, lastCheckpoint, bestCheckpoint, checkpointBytes: _b, ...saved } = run;
  return { ...saved, resumeEpoch: epochOfCheckpoint(lastCheckpoint), hasWeights: (lastCheckpoint ?? bestCheckpoint) !== null };
}

/** Saves a run's record (not its checkpoints); failures are reported, not thrown. */
export async function saveRun(persistence: Persistence | null, run: RunRecord, post: Post): Promise<void> {
  if (!persistence) return;
  try {
    await putRun(persistence.db, storedRunOf(run));
    // The Storage panel counts runs: a run saved (started, finished, imported) changes what it shows.
    post({ type: 'storage/changed', storage: await storageInfo(persistence) });
  } catch (err) {
    post({ type: 'storage/failed', message: saveFailure(err, `run ${run.number}`) });
  }
}

/**
 * Saves the epoch that just ended: its batch metrics, and a checkpoint as the setting asks (the last
 * with momentum buffers, for Resume; the best when it improved). Pointers switch only after the write.
 */
export async function saveEpoch(
  persistence: Persistence | null,
  run: RunRecord,
  state: { readonly epoch: number; readonly improved: boolean; readonly model: ResNet50; readonly optimizer: MomentumSgd },
  post: Post,
): Promise<void> {
  run.batches.push(...run.pendingBatches.splice(0));
  if (!persistence) return;
  const keepLast = persistence.keep === 'last-and-best';
  const write = keepLast || (persistence.keep === 'best' && state.improved);
  try {
    let checkpoint = null;
    if (write) {
      const named = await readTrainingState(state.model, keepLast ? state.optimizer : null);
      checkpoint = { id: `${run.runId}/e${state.epoch}`, runId: run.runId, epoch: state.epoch, ...packTensors(named) };
    }
    const last = keepLast ? (checkpoint?.id ?? null) : null;
    const best = checkpoint && state.improved ? checkpoint.id : persistence.keep === 'none' ? null : run.bestCheckpoint;
    const size = checkpoint?.data.byteLength ?? 0;
    // Last and best are one record when the newest epoch is the best; otherwise two.
    const bytes = (last ? size : 0) + (best && best !== last ? (best === run.bestCheckpoint ? run.bestBytes : size) : 0);
    await commitCheckpoint(persistence.db, checkpoint, {
      ...storedRunOf(run),
      lastCheckpoint: last,
      bestCheckpoint: best,
      checkpointBytes: bytes,
    });
    if (best !== run.bestCheckpoint) run.bestBytes = size;
    run.lastCheckpoint = last;
    run.bestCheckpoint = best;
    run.checkpointBytes = bytes;
    post({ type: 'storage/changed', storage: await storageInfo(persistence) });
  } catch (err) {
    post({ type: 'storage/failed', message: saveFailure(err, `epoch ${state.epoch} of run ${run.number}`) });
  }
}

/** Builds a model from a stored checkpoint (weights and BN buffers); the caller owns it. */
export async function modelFromCheckpoint(db: LabDb, checkpointId: string, numClasses: number): Promise<ResNet50> {
  const checkpoint = await getCheckpoint(db, checkpointId);
  if (!checkpoint) throw new Error(`The checkpoint ${checkpointId} is no longer stored.`);
  const model = buildResNet50({ numClasses });
  try {
    applyTrainingState(model, null, unpackTensors(checkpoint));
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/**
 * The run a command names, with its model: held on the device, or rebuilt from its stored
 * checkpoint (after a reload, or once released to free memory). Errors say what to do otherwise.
 */
export async function loadRunModel(session: Session, runId: string): Promise<RunWithModel> {
  const run = session.runs.get(runId);
  const checkpoint = run && run.status !== 'running' && !run.model ? modelCheckpointOf(run) : null;
  if (run && checkpoint && session.persistence)
    run.model = await modelFromCheckpoint(session.persistence.db, checkpoint, run.classes.length);
  return runWithModel(session.runs, runId);
}

/** What the lab holds and the origin's quota; reads run records only, never checkpoint or pixel data. */
export async function storageInfo(persistence: Persistence): Promise<StorageInfo> {
  const estimate = await globalThis.navigator?.storage?.estimate?.().catch(() => null);
  const runs = await listRuns(persistence.db);
  return {
    usage: estimate?.usage ?? null,
    quota: estimate?.quota ?? null,
    datasetBytes: persistence.datasetBytes,
    checkpointBytes: runs.reduce((n, r) => n + (r.checkpointBytes ?? 0), 0),
    runs: runs.length,
  };
}
