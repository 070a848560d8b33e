/** Progress reporting and cooperative cancellation for a dataset import. */
import { yieldToEventLoop } from '../shared/yield.ts';

/** Phase names as sent in the `dataset/progressed` event. */
export type ImportPhase = 'unzipping' | 'decoding' | 'splitting';

/** Callback receiving `done` of `total` work units in `phase`. */
export type ProgressCallback = (done: number, total: number, phase: ImportPhase) => void;

const MIN_INTERVAL_MS = 100;
/** Longest stretch of synchronous work before yielding, so a `dataset/cancel` message can arrive. */
const SLICE_MS = 30;

/** The error thrown when the import is cancelled; `name` is `AbortError` like `fetch` uses. */
export function createAbortError(): Error {
  const error = new Error('Dataset import was cancelled.');
  error.name = 'AbortError';
  return error;
}

/** Throws an AbortError if `signal` has been aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw createAbortError();
}

/**
 * Throttles progress to at most one call per 1% of `total` or per 100 ms (whichever comes first),
 * always reporting the final `done === total`, and yields to the event loop between slices of work.
 */
export class ImportProgress {
  private lastDone = -1;
  private lastPhase: ImportPhase | null = null;
  private lastReportAt = 0;
  private sliceStartedAt = Date.now();

  /** @param onProgress receives throttled reports. @param signal aborts the import between files. */
  constructor(
    private readonly onProgress: ProgressCallback | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Records progress; reports it if 1% or 100 ms has passed since the last report, or the phase ended. */
  report(done: number, total: number, phase: ImportPhase): void {
    if (!this.onProgress) return;
    const now = Date.now();
    const step = Math.max(1, Math.ceil(total / 100));
    const due = phase !== this.lastPhase || done >= total || done - this.lastDone >= step || now - this.lastReportAt >= MIN_INTERVAL_MS;
    if (!due || (done === this.lastDone && phase === this.lastPhase)) return;
    this.lastDone = done;
    this.lastPhase = phase;
    this.lastReportAt = now;
    this.onProgress(done, total, phase);
  }

  /** Throws if cancelled; otherwise yields to the event loop when the current slice of work is long enough. */
  async checkpoint(): Promise<void> {
    throwIfCancelled(this.signal);
    if (Date.now() - this.sliceStartedAt < SLICE_MS) return;
    await yieldToEventLoop();
    this.sliceStartedAt = Date.now();
    throwIfCancelled(this.signal);
  }

  /** Throws if cancelled, without yielding. */
  throwIfCancelled(): void {
    throwIfCancelled(this.signal);
  }
}
