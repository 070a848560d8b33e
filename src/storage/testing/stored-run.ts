import { DEFAULT_TRAIN_CONFIG } from '../../shared/train-defaults.ts';
import type { StoredRun } from '../schema.ts';

/** A stored run for tests: run-1, running, no epochs and no checkpoints yet, unless `patch` says otherwise. */
export function storedRun(patch: Partial<StoredRun> = {}): StoredRun {
  return {
    runId: 'run-1',
    number: 1,
    config: DEFAULT_TRAIN_CONFIG,
    classes: ['a', 'b'],
    weightsLabel: 'random',
    backend: 'cpu',
    datasetKey: 'demo',
    status: 'running',
    history: [],
    batches: [],
    batchesPerEpoch: 1,
    bestEpoch: 0,
    startedAt: 0,
    totalMs: null,
    error: null,
    lastCheckpoint: null,
    bestCheckpoint: null,
    ...patch,
  };
}
