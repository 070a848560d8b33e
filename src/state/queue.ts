/** The run queue ("Run all four regimes") as the page shows it: its runs' settings and what is left. */
import { REGIMES, type RegimeId } from '../shared/regimes.ts';
import type { TrainConfig } from '../shared/types.ts';
import { runLabel } from './run-labels.ts';
import type { PageQueue, Run } from './types.ts';

/** A queue regime's settings: the shared ones with the regime's own learning rates. */
export function queuedConfig(base: TrainConfig, regime: RegimeId): TrainConfig {
  return { ...base, regime, learningRates: { ...REGIMES[regime].learningRates } };
}

/**
 * The queue's runs not started yet, next first, with the numbers they will get: its current run's
 * regime first when that run never got stored (the page went away as it started).
 */
export function queuedRuns(
  queue: PageQueue,
  runs: Readonly<Record<string, Run>>,
  runCount: number,
): { readonly number: number; readonly label: string }[] {
  const lost = queue.current && !runs[queue.current.runId] ? [queue.current.regime] : [];
  return [...lost, ...queue.pending].map((regime, i) => {
    const number = runCount + 1 + i;
    return { number, label: runLabel({ number, config: queuedConfig(queue.base, regime) }) };
  });
}
