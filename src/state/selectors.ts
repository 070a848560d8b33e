/** Narrow selectors shared by several panels. Each returns a primitive or a stable reference. */
import { isFinished } from './run-labels.ts';
import type { LabState, Run } from './types.ts';

const ACTIVE = new Set(['starting', 'running', 'stopping']);

/** The run currently training (at most one at a time), or null. */
export function selectActiveRunId(s: LabState): string | null {
  for (let i = s.runOrder.length - 1; i >= 0; i--) {
    const id = s.runOrder[i] as string;
    if (ACTIVE.has(s.runs[id]?.status ?? '')) return id;
  }
  return null;
}

/** Whether any run is training. */
export const selectIsTraining = (s: LabState): boolean => selectActiveRunId(s) !== null;

/** A selector for one run. */
export const selectRun =
  (runId: string | null) =>
  (s: LabState): Run | undefined =>
    runId ? s.runs[runId] : undefined;

/** Whether a dataset and weights are loaded, i.e. Start can work. */
export const selectReadyToTrain = (s: LabState): boolean =>
  s.dataset.status === 'loaded' && s.weights.status === 'loaded' && s.storage.heldElsewhere === null;

/**
 * The run the Evaluation, Try it and Export panels look at: the one the person picked, if it has an
 * epoch to show; otherwise the newest finished run with an epoch, so a run that is still training
 * does not hide finished ones; otherwise the newest run with an epoch; null before any epoch.
 */
export function selectFocusedRunId(s: LabState): string | null {
  const hasEpoch = (id: string | null): id is string => id !== null && (s.runs[id]?.epochs.length ?? 0) > 0;
  if (hasEpoch(s.focusedRunId)) return s.focusedRunId;
  const withEpochs = s.runOrder.filter(hasEpoch);
  const finished = withEpochs.filter((id) => isFinished(s.runs[id] as Run));
  return finished.at(-1) ?? withEpochs.at(-1) ?? null;
}

/**
 * The run whose `tf.memory()` the Train panel shows: the training run's (nothing until its first
 * epoch ends, so no other run's figure reads as current), else the newest run that reported one.
 */
export function selectMemoryRunId(s: LabState): string | null {
  const active = selectActiveRunId(s);
  if (active) return active;
  return s.runOrder.findLast((id) => s.runs[id]?.memory) ?? null;
}
