/**
 * "Run all four regimes" as a queue the lab keeps: every change is stored with the lab
 * (`queue/save`) before the run it starts, so after a reload or a crash the runs not started yet
 * are still listed, and one action goes on with the interrupted run first. The queue moves on by
 * itself only when its run completes; a stopped, failed or interrupted run makes it wait, and only
 * `stopQueue` drops it.
 */
import { REGIME_IDS, REGIMES, type RegimeId } from '../shared/regimes.ts';
import type { RunQueue, TrainConfig } from '../shared/types.ts';
import { isFinished } from '../state/run-labels.ts';
import { queuedConfig } from '../state/queue.ts';
import type { LabStore } from '../state/store.ts';
import type { PageQueue } from '../state/types.ts';
import type { LabPort } from './lab-port.ts';

/** How the queue starts and continues runs (the run commands, bound to the same port and store). */
export interface QueueRuns {
  startRun(config: TrainConfig, runId: string): void;
  resumeRun(runId: string): void;
  restartRun(runId: string): void;
}

/** Queue commands bound to one client and one store. */
export type QueueCommands = ReturnType<typeof createQueueCommands>;

export function createQueueCommands(port: LabPort, store: LabStore, runs: QueueRuns) {
  const save = (queue: PageQueue | null): void => {
    store.getState().setQueue(queue);
    const { waiting: _waiting, ...stored } = queue ?? { waiting: false };
    port.send({ type: 'queue/save', queue: queue && (stored as RunQueue) });
  };
  const startNext = (queue: PageQueue): void => {
    const [next, ...rest] = queue.pending;
    if (!next) return save(null);
    const runId = port.newId('run');
    save({ ...queue, current: { runId, regime: next }, pending: rest, waiting: false });
    runs.startRun(queuedConfig(queue.base, next), runId);
  };
  const wait = (queue: PageQueue): void => {
    if (!queue.waiting) store.getState().setQueue({ ...queue, waiting: true });
  };
  const commands = {
    /** Queues the regimes with the current seed, data and settings; one starts as each completes. */
    runAllRegimes(regimes: readonly RegimeId[] = REGIME_IDS): void {
      const { config, weights } = store.getState();
      const weightsLabel = weights.info?.label;
      startNext({ base: config.train, current: null, pending: regimes, waiting: false, ...(weightsLabel ? { weightsLabel } : {}) });
    },
    /**
     * Goes on with a waiting queue: its interrupted run first (resumed from its checkpoint, or
     * started again when it has none), a run that never got stored started again, then the rest.
     */
    resumeQueue(): void {
      const { queue, runs: all, weights, pushMessage } = store.getState();
      if (!queue) return;
      const loaded = weights.status === 'loaded' ? weights.info?.label : undefined;
      if (queue.weightsLabel && loaded !== queue.weightsLabel)
        return pushMessage({
          title: 'The queue cannot go on yet',
          detail: `Its runs start from "${queue.weightsLabel}"; the lab holds ${loaded ? `"${loaded}"` : 'no weights'} now.`,
          hint: 'Load those weights (Model panel), then Resume queue again; or Stop queue.',
        });
      const current = queue.current ? all[queue.current.runId] : undefined;
      if (queue.current && !current) return startNext({ ...queue, pending: [queue.current.regime, ...queue.pending] });
      if (current?.status === 'interrupted') {
        save({ ...queue, waiting: false });
        return current.resumeAt ? runs.resumeRun(current.id) : runs.restartRun(current.id);
      }
      if (current && !isFinished(current)) return save({ ...queue, waiting: false });
      startNext(queue);
    },
    /**
     * A queue whose run was refused for memory goes on with the batch that fits: the batch becomes
     * the queue's own (stored with it), so the refused regime and every regime after it use it.
     */
    resumeQueueWithBatch(batchSize: number): void {
      const { queue } = store.getState();
      if (!queue) return;
      save({ ...queue, base: { ...queue.base, batchSize }, waiting: true });
      commands.resumeQueue();
    },
    /** Drops the queue: the runs not started yet will not run. The run training now goes on. */
    stopQueue: (): void => save(null),
    /** A run ended: when it was the queue's and completed, the next regime starts; otherwise the queue waits. */
    runEnded(runId: string): void {
      const state = store.getState();
      const { queue } = state;
      const run = state.runs[runId];
      if (!queue || queue.waiting || queue.current?.runId !== runId || !run || !isFinished(run)) return;
      if (run.status === 'completed' || run.status === 'early-stopped') return startNext(queue);
      if (run.status !== 'interrupted' && queue.pending.length === 0) return save(null);
      wait(queue);
      if (run.status !== 'failed') return;
      const left = queue.pending.map((r) => REGIMES[r].label).join(', ');
      state.pushMessage({
        title: 'Run all four regimes is waiting',
        detail: `Run ${run.number} failed${left ? `; not started yet: ${left}` : ''}.`,
        hint: 'Fix the cause above, then Resume queue (it goes on with the next regime) or Stop queue.',
      });
    },
  };
  return commands;
}
