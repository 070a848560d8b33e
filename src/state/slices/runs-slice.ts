import type { TrainConfig } from '../../shared/types.ts';
import type { Run, RunsSlice, SliceCreator } from '../types.ts';

/** A run as it is before the worker has said anything about it. */
export function newRun(id: string, number: number, config: TrainConfig, now: number): Run {
  return {
    id,
    number,
    config,
    status: 'starting',
    classes: [],
    batchesPerEpoch: 0,
    batches: [],
    lastBatch: null,
    epochs: [],
    startedAt: now,
    totalMs: null,
    bestEpoch: null,
    error: null,
    memory: null,
    features: null,
    resumeAt: null,
    imported: false,
    origin: null,
    edits: [],
    evicted: false,
  };
}

/** Every run of this session, kept after it ends (completed, stopped or failed) for comparison. */
export const createRunsSlice: SliceCreator<RunsSlice> = (set) => ({
  runs: {},
  runOrder: [],
  runRequested: (runId, config, now) =>
    set((s) => ({
      runs: { ...s.runs, [runId]: newRun(runId, s.runOrder.length + 1, config, now) },
      runOrder: [...s.runOrder, runId],
      selectedRunIds: [...s.selectedRunIds, runId],
      // Back to the default focus (the newest finished run): the new run has nothing to evaluate yet.
      focusedRunId: null,
      refusal: null,
    })),
  runResumeRequested: (runId) =>
    set((s) => {
      const run = s.runs[runId];
      if (!run || run.status !== 'interrupted') return {};
      return { runs: { ...s.runs, [runId]: { ...run, status: 'starting', error: null, evicted: false } }, focusedRunId: null };
    }),
  runStopRequested: (runId) =>
    set((s) => {
      const run = s.runs[runId];
      if (!run || (run.status !== 'running' && run.status !== 'starting')) return {};
      return { runs: { ...s.runs, [runId]: { ...run, status: 'stopping' } } };
    }),
});
