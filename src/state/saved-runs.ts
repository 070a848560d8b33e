/** Runs read back from the lab's storage → the page's Run, and merged with what the page holds. */
import type { SavedRunView } from '../shared/types.ts';
import { appendBatches } from './batch-points.ts';
import { newRun } from './slices/runs-slice.ts';
import type { LabState, Run } from './types.ts';

const ACTIVE = new Set<Run['status']>(['starting', 'running', 'stopping']);

/** The page's view of a stored run; a run saved while training is shown interrupted. */
export function runFromSaved(saved: SavedRunView): Run {
  const base = newRun(saved.runId, saved.number, saved.config, saved.startedAt);
  const withBatches = appendBatches({ ...base, batchesPerEpoch: saved.batchesPerEpoch }, saved.batches);
  return {
    ...withBatches,
    status: saved.status === 'running' ? 'interrupted' : saved.status,
    classes: saved.classes,
    batchesPerEpoch: saved.batchesPerEpoch,
    epochs: saved.history,
    totalMs: saved.totalMs,
    bestEpoch: saved.bestEpoch || null,
    error: saved.error,
    resumeAt: saved.resumeAt,
    imported: saved.imported ?? false,
    origin: saved.origin ?? null,
    edits: saved.edits ?? [],
    evicted: saved.evicted ?? false,
  };
}

type RunsDraft = Pick<LabState, 'runs' | 'runOrder' | 'selectedRunIds'>;

/**
 * The page's runs after storage answered with `saved`: stored runs replace the page's copies
 * (except a run training right now, whose live state is newer); with `complete`, page runs that
 * storage no longer holds (forgotten) go too. Order is the runs' numbers.
 */
export function mergeSavedRuns<D extends RunsDraft>(d: D, saved: readonly SavedRunView[], complete: boolean): D {
  const runs: Record<string, Run> = complete
    ? Object.fromEntries(Object.entries(d.runs).filter(([, r]) => ACTIVE.has(r.status)))
    : { ...d.runs };
  for (const view of saved) {
    const current = d.runs[view.runId];
    if (current && ACTIVE.has(current.status)) continue;
    runs[view.runId] = runFromSaved(view);
  }
  const runOrder = Object.values(runs)
    .sort((a, b) => a.number - b.number)
    .map((r) => r.id);
  const added = runOrder.filter((id) => !d.runs[id]);
  const selectedRunIds = [...d.selectedRunIds.filter((id) => runs[id]), ...added];
  return { ...d, runs, runOrder, selectedRunIds };
}
