/**
 * The worker's side of the lab storage: runs, checkpoints and the dataset are saved here, where
 * the weights live, so ~100 MB checkpoints never cross to the page. A failed save is reported
 * (`storage/failed`) and never fails the run: what was stored before stays as it was.
 */
import type { ResNet50 } from '../ml/model.ts';
import { buildResNet50 } from '../ml/resnet50.ts';
import { randomStreamState } from '../ml/train/batches.ts';
import { applyTrainingState, type TrainingSnapshot } from '../ml/train/checkpoint.ts';
import type { EpochProgress, ResumePoint, SavedRunStatus, SavedRunView, StorageInfo } from '../shared/types.ts';
import { yieldToEventLoop } from '../shared/yield.ts';
import { commitCheckpoint, getCheckpoint, listRuns, putRun, type LabDb } from '../storage/lab-db.ts';
import { unpackTensors } from '../storage/pack.ts';
import type { CheckpointPosition, CheckpointRecord, StoredRun } from '../storage/schema.ts';
import { checkpointPlace, checkpointsStoppedNotice, isQuotaError } from './checkpoint-failure.ts';
import type { Persistence, Post, Session } from './session.ts';
import { modelCheckpointOf, runWithModel, type RunRecord, type RunWithModel } from './runs.ts';

/** Says why a save failed, in words a person can act on. */
export function saveFailure(err: unknown, what: string): string {
  const detail = err instanceof Error ? err.message : String(err);
  return isQuotaError(err)
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
    resumeAt: run.resumeAt,
    ...(run.imported ? { imported: true } : {}),
    ...(run.origin ? { origin: run.origin } : {}),
    ...(run.edits && run.edits.length > 0 ? { edits: run.edits } : {}),
    ...(run.evicted ? { evicted: true } : {}),
  };
}

/** Where Resume continues a stored run: its record says; a version-1 record's checkpoint id names the epoch. */
export function resumePointOf(run: StoredRun): ResumePoint | null {
  if (!run.lastCheckpoint) return null;
  if (run.resumeAt) return run.resumeAt;
  const epoch = Number(run.lastCheckpoint.slice(run.lastCheckpoint.lastIndexOf('/e') + 2));
  return Number.isInteger(epoch) ? { epoch, batch: 0, elapsedMs: 0, savedAt: run.startedAt } : null;
}

/** What the page is told about a stored run. */
export function viewOf(run: StoredRun): SavedRunView {
  const { datasetKey: _d, lastCheckpoint, bestCheckpoint, checkpointBytes: _b, resumeAt: _r, ...saved } = run;
  return { ...saved, resumeAt: resumePointOf(run), hasWeights: (lastCheckpoint ?? bestCheckpoint) !== null };
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
 * A checkpoint taken at a batch boundary (or an epoch's end) and not written yet: the training
 * state held on the device (see TrainingSnapshot; null when the setting keeps no checkpoint of
 * this epoch, and only the record is saved) and the run's record as it stood then.
 */
export interface TakenCheckpoint {
  readonly snapshot: TrainingSnapshot | null;
  readonly id: string;
  /** Epochs finished; with `position`, the checkpoint lies inside epoch `epoch + 1`. */
  readonly epoch: number;
  readonly position: CheckpointPosition | null;
  /** Written at the end of the run's new best epoch. */
  readonly improved: boolean;
  /** The run's record at the boundary: its epochs and every batch up to it. */
  readonly record: StoredRun;
  /** The run's training time at the boundary, ms. */
  readonly elapsedMs: number;
  /** performance.now() when it was taken. */
  readonly takenAt: number;
  /** ms the training loop spent taking it (the snapshot). */
  readonly blockedMs: number;
}

/** Where a mid-epoch checkpoint stands: the epoch's progress and the random streams there. */
export function positionOf(progress: EpochProgress, trainSize: number, seed: number): CheckpointPosition {
  return { ...progress, streams: randomStreamState(trainSize, seed, progress.epoch, progress.batchesDone) };
}

/** What to store for a taken checkpoint whose data is `data` (null: none is kept), and the pointers then. */
function nextPointers(persistence: Persistence, run: RunRecord, taken: TakenCheckpoint, size: number | null) {
  const last = size !== null && persistence.keep === 'last-and-best' ? taken.id : null;
  const best = size !== null && taken.improved ? taken.id : persistence.keep === 'none' ? null : run.bestCheckpoint;
  const ownSize = size ?? 0;
  // Last and best are one record when the newest epoch is the best; otherwise two.
  const bytes = (last ? ownSize : 0) + (best && best !== last ? (best === run.bestCheckpoint ? run.bestBytes : ownSize) : 0);
  const resumeAt: ResumePoint | null = last
    ? { epoch: taken.epoch, batch: taken.position?.batchesDone ?? 0, elapsedMs: taken.elapsedMs, savedAt: Date.now() }
    : null;
  return { last, best, bytes, resumeAt };
}

/**
 * Writes a taken checkpoint, then switches the run's last (and, when it improved, best) pointer to
 * it, with the run's record as it stood when it was taken, and drops what no pointer reaches
 * (commitCheckpoint). Reads the snapshot in slices, awaiting `pause` between them so training
 * batches run meanwhile. A failure leaves what was stored before as it was and is reported: for a
 * checkpoint, as `train/checkpointsStopped` (the caller writes no more of them for this run); for
 * a record alone, as `storage/failed`. Resolves to whether it was written; always frees the snapshot.
 */
export async function writeCheckpoint(
  persistence: Persistence,
  run: RunRecord,
  taken: TakenCheckpoint,
  post: Post,
  pause: () => Promise<void> = yieldToEventLoop,
): Promise<boolean> {
  let blockedMs = taken.blockedMs;
  try {
    const data = taken.snapshot ? await taken.snapshot.read(pause, (ms) => (blockedMs += ms)) : null;
    const checkpoint: CheckpointRecord | null =
      taken.snapshot && data
        ? {
            id: taken.id,
            runId: run.runId,
            epoch: taken.epoch,
            tensors: taken.snapshot.entries,
            data,
            ...(taken.position ? { position: taken.position } : {}),
          }
        : null;
    const { last, best, bytes, resumeAt } = nextPointers(persistence, run, taken, data?.size ?? null);
    const t = performance.now();
    // The put's structured clone happens before its first await; for a Blob it copies no bytes.
    const committed = commitCheckpoint(persistence.db, checkpoint, {
      ...taken.record,
      lastCheckpoint: last,
      bestCheckpoint: best,
      checkpointBytes: bytes,
      resumeAt,
    });
    const storeBlockedMs = performance.now() - t;
    blockedMs += storeBlockedMs;
    await committed;
    if (best !== run.bestCheckpoint) run.bestBytes = data?.size ?? 0;
    run.lastCheckpoint = last;
    run.bestCheckpoint = best;
    run.checkpointBytes = bytes;
    run.resumeAt = resumeAt;
    if (data)
      post({
        type: 'train/checkpointSaved',
        runId: run.runId,
        resumeAt,
        bytes: data.size,
        writeMs: performance.now() - taken.takenAt,
        blockedMs,
        storeBlockedMs,
      });
    post({ type: 'storage/changed', storage: await storageInfo(persistence) });
    return true;
  } catch (err) {
    const place = { epoch: taken.epoch, batch: taken.position?.batchesDone ?? 0 };
    if (taken.snapshot) {
      const kept = run.lastCheckpoint && run.resumeAt ? run.resumeAt : null;
      post({
        type: 'train/checkpointsStopped',
        runId: run.runId,
        ...checkpointsStoppedNotice(run.number, checkpointPlace(place), err, kept),
      });
    } else post({ type: 'storage/failed', message: saveFailure(err, `epoch ${taken.epoch} of run ${run.number}`) });
    return false;
  } finally {
    taken.snapshot?.dispose();
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
