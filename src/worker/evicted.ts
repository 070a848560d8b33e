/**
 * Runs whose checkpoints vanished between sessions. A browser evicts an origin's storage under
 * disk pressure unless it was granted persistence, and a person can clear site data: a run record
 * may then point at checkpoints that are no longer stored. Such a run keeps its metrics, loses its
 * pointers (so nothing offers a Resume or an export that would fail) and is marked `evicted`.
 */
import { putRun, type LabDb } from '../storage/lab-db.ts';
import type { StoredRun } from '../storage/schema.ts';

async function stored(db: LabDb, id: string | null): Promise<boolean> {
  return id === null || (await db.getKey('checkpoints', id)) !== undefined;
}

/**
 * `runs` as they can be used now: each run whose checkpoints are missing is repaired (pointers to
 * missing checkpoints dropped, `evicted` set) and saved so unless `save` is false (a read-only
 * view). A failed save is left for the next open.
 */
export async function withoutEvictedCheckpoints(db: LabDb, runs: readonly StoredRun[], save = true): Promise<StoredRun[]> {
  return Promise.all(
    runs.map(async (run) => {
      const [last, best] = await Promise.all([stored(db, run.lastCheckpoint), stored(db, run.bestCheckpoint)]);
      if (last && best) return run;
      const repaired: StoredRun = {
        ...run,
        lastCheckpoint: last ? run.lastCheckpoint : null,
        bestCheckpoint: best ? run.bestCheckpoint : null,
        resumeAt: last ? run.resumeAt : null,
        checkpointBytes: last && best ? run.checkpointBytes : 0,
        evicted: true,
      };
      if (save) await putRun(db, repaired).catch(() => undefined);
      return repaired;
    }),
  );
}
