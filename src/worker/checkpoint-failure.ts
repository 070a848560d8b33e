/**
 * What a person is told, once, when a run's checkpoint cannot be written (a full quota, a disk
 * error, a closed database): the run keeps training, its checkpoints stop, and the one it had is
 * kept. The README's table of bad inputs quotes this text; keep the two in step.
 */
import type { ResumePoint } from '../shared/types.ts';

/** True for the browser's "storage full" failures, however the engine words them. */
export function isQuotaError(err: unknown): boolean {
  const detail = err instanceof Error ? err.message : String(err);
  return /quota/i.test(detail) || (err instanceof DOMException && err.name === 'QuotaExceededError');
}

/** Where a checkpoint stands, in words: "after batch 12 of epoch 3" or "at the end of epoch 2". */
export function checkpointPlace(point: Pick<ResumePoint, 'epoch' | 'batch'>): string {
  return point.batch > 0 ? `after batch ${point.batch} of epoch ${point.epoch + 1}` : `at the end of epoch ${point.epoch}`;
}

/** The notice shown when checkpoints stop: what failed and what is kept (`message`), what to do (`hint`). */
export interface CheckpointsStoppedNotice {
  readonly message: string;
  readonly hint: string;
}

/**
 * The notice for run `runNumber`, whose checkpoint `failed` (a place, see checkpointPlace) could
 * not be written because of `err`; `kept` is where its last stored checkpoint stands (null: none).
 */
export function checkpointsStoppedNotice(
  runNumber: number,
  failed: string,
  err: unknown,
  kept: Pick<ResumePoint, 'epoch' | 'batch'> | null,
): CheckpointsStoppedNotice {
  const quota = isQuotaError(err);
  const why = quota
    ? "the browser's storage for this page is full"
    : `the browser refused the write: ${(err instanceof Error ? err.message : String(err)).replace(/\.$/, '')}`;
  const keptText = kept
    ? `Run ${runNumber} trains on without checkpoints; its last one, ${checkpointPlace(kept)}, is kept, and Resume continues from it if the page reloads before the run ends. Once it ends, its weights are in this tab only: export what you need before reloading.`
    : `Run ${runNumber} trains on without checkpoints. It had none saved, so it cannot resume after a reload, and its weights are in this tab only: export what you need before reloading.`;
  return {
    message: `Run ${runNumber}'s checkpoint ${failed} could not be saved: ${why}. ${keptText}`,
    hint: quota
      ? 'To make room, delete old runs, their checkpoints or the dataset in the Storage panel; the next run saves checkpoints again.'
      : 'Check the Storage panel for how full the storage is, and free space there if it is nearly full; the next run tries to save checkpoints again.',
  };
}
