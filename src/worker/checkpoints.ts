/**
 * When a training run writes its checkpoints: inside an epoch at most `everyMinutes` apart (taken
 * at a batch boundary, written while the next batches train), and at every epoch's end (awaited,
 * as before). One write at a time per run, in the order taken, so a late mid-epoch write can never
 * move the run's pointer back past a newer one. After a checkpoint write fails (a full quota, say),
 * the run writes no more checkpoints: it trains on, told once, its last stored one kept.
 */
import type { ResNet50 } from '../ml/model.ts';
import { TrainingSnapshot } from '../ml/train/checkpoint.ts';
import type { MomentumSgd } from '../ml/train/sgd.ts';
import type { EpochProgress } from '../shared/types.ts';
import { commitCheckpoint } from '../storage/lab-db.ts';
import { positionOf, storedRunOf, writeCheckpoint, type TakenCheckpoint } from './persistence.ts';
import type { RunRecord } from './runs.ts';
import type { Persistence, Post } from './session.ts';

/** The checkpoints of one training session of a run (from its start or resume to its end). */
export class RunCheckpoints {
  /** performance.now() of the last checkpoint taken, or of the session's start. */
  private lastAt = performance.now();
  private writing: Promise<void> = Promise.resolve();
  private inFlight = false;
  /** Set when a checkpoint write failed: no more are taken in this training session. */
  private stopped = false;
  /**
   * @param elapsedMs the run's training time so far (before an interruption too, up to its checkpoint)
   * @param trainSize images in the training split (the data order's length)
   */
  constructor(
    private readonly persistence: Persistence | null,
    private readonly run: RunRecord,
    private readonly post: Post,
    private readonly elapsedMs: () => number,
    private readonly trainSize: number,
  ) {}

  /**
   * Polled at each batch boundary inside an epoch: true when a mid-epoch checkpoint is due, that is
   * `everyMinutes` after the last one was taken (never more often: each costs the training its
   * copy, so the newest committed one may be older by a write's time). Never while one is being
   * written, nor when checkpoints cannot resume or have stopped.
   */
  midEpochDue(): boolean {
    const p = this.persistence;
    if (!p || p.keep !== 'last-and-best' || !(p.everyMinutes > 0) || this.inFlight || this.stopped) return false;
    return performance.now() - this.lastAt >= p.everyMinutes * 60_000;
  }

  /**
   * Takes a mid-epoch checkpoint at this boundary (cheap: the snapshot shares the device's data) and
   * writes it in the background. `model` and `optimizer` are only borrowed for the snapshot.
   */
  takeMidEpoch(state: { readonly progress: EpochProgress; readonly model: ResNet50; readonly optimizer: MomentumSgd }): void {
    const { progress } = state;
    const started = performance.now();
    const snapshot = TrainingSnapshot.take(state.model, state.optimizer);
    const done = progress.epoch - 1;
    const taken: TakenCheckpoint = {
      snapshot,
      id: `${this.run.runId}/e${done}b${progress.batchesDone}`,
      epoch: done,
      position: positionOf(progress, this.trainSize, this.run.config.seed),
      improved: false,
      record: { ...storedRunOf(this.run), batches: [...this.run.batches, ...this.run.pendingBatches] },
      elapsedMs: this.elapsedMs(),
      takenAt: started,
      blockedMs: performance.now() - started,
    };
    this.lastAt = started;
    this.enqueue(taken);
  }

  /**
   * Saves the epoch that just ended, after any write still under way: its batch metrics, and a
   * checkpoint as the setting asks (the last with momentum buffers, for Resume; the best when it
   * improved). Without one the run's record is still saved; once checkpoints have stopped, with
   * its pointers as they were.
   */
  async epochEnded(state: {
    readonly epoch: number;
    readonly improved: boolean;
    readonly model: ResNet50;
    readonly optimizer: MomentumSgd;
  }): Promise<void> {
    const { run, persistence } = this;
    run.batches.push(...run.pendingBatches.splice(0));
    await this.writing;
    if (!persistence) return;
    // The metrics are still worth keeping; a failure here is the storage problem already told.
    if (this.stopped) return commitCheckpoint(persistence.db, null, storedRunOf(run)).catch(() => undefined);
    const keepLast = persistence.keep === 'last-and-best';
    const write = keepLast || (persistence.keep === 'best' && state.improved);
    const started = performance.now();
    const taken: TakenCheckpoint = {
      snapshot: write ? TrainingSnapshot.take(state.model, keepLast ? state.optimizer : null) : null,
      id: `${run.runId}/e${state.epoch}`,
      epoch: state.epoch,
      position: null,
      improved: state.improved,
      record: storedRunOf(run),
      elapsedMs: this.elapsedMs(),
      takenAt: started,
      blockedMs: 0,
    };
    this.lastAt = started;
    await this.enqueue(taken);
  }

  /**
   * Called once the run has ended, before its final record is saved. With its checkpoints stopped,
   * the last one is older than its weights and can no longer resume anything, so it is dropped
   * (deleted, freeing the space that was missing); the best is kept only if it still holds the
   * best epoch. A failure here is the storage problem already told.
   */
  async ended(): Promise<void> {
    const { run, persistence } = this;
    if (!this.stopped || !persistence) return;
    const best = run.bestCheckpoint === `${run.runId}/e${run.bestEpoch}` ? run.bestCheckpoint : null;
    run.checkpointBytes = best === null ? 0 : best === run.lastCheckpoint ? run.checkpointBytes : run.bestBytes;
    run.bestCheckpoint = best;
    run.lastCheckpoint = null;
    run.resumeAt = null;
    await commitCheckpoint(persistence.db, null, storedRunOf(run)).catch(() => undefined);
  }

  /** Resolves once every checkpoint taken so far is written (or has failed, which is reported). */
  settled(): Promise<void> {
    return this.writing;
  }

  private enqueue(taken: TakenCheckpoint): Promise<void> {
    const persistence = this.persistence;
    if (!persistence) {
      taken.snapshot?.dispose();
      return this.writing;
    }
    this.inFlight = true;
    this.writing = this.writing
      .then(async () => {
        const written = await writeCheckpoint(persistence, this.run, taken, this.post);
        if (!written && taken.snapshot) this.stopped = true;
      })
      .finally(() => {
        this.inFlight = false;
      });
    return this.writing;
  }
}
