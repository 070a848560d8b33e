/**
 * The one rule for a run's "best" epoch, used by the trainer (early stopping, the kept best
 * checkpoint), the Runs table, Evaluation, the exported model card, `lab train` and the exported
 * PyTorch project's results (train.py states the same rule): the epoch with the lowest validation
 * loss; on a tie, the earlier one.
 */
export const BEST_EPOCH_RULE = 'lowest validation loss';

/** What labels the final epoch's validation accuracy: the figure the seed study's table reports. */
export const FINAL_ACCURACY_LABEL = 'val. accuracy after the last epoch (as the seed study reports)';

/** One finished epoch, as far as the figures go. */
export interface EpochFigures {
  readonly epoch: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
}

/** 1-based epoch of `history` with the lowest validation loss (ties: the earlier), 0 when empty. */
export function bestEpochOf(history: readonly { readonly epoch: number; readonly validationLoss: number }[]): number {
  let best: { epoch: number; loss: number } | null = null;
  for (const e of history) if (!best || e.validationLoss < best.loss) best = { epoch: e.epoch, loss: e.validationLoss };
  return best?.epoch ?? 0;
}

/** A run's figures: the best epoch by the rule, with its accuracy and loss, and the final epoch's accuracy. */
export interface RunFigures {
  readonly bestEpoch: number;
  readonly bestValidationAccuracy: number;
  readonly bestValidationLoss: number;
  readonly finalEpoch: number;
  /** The figure the seed study reports ("validation accuracy after N epochs"). */
  readonly finalValidationAccuracy: number;
}

/** {@link RunFigures} of `history` (epochs in order), or null before any epoch. */
export function runFigures(history: readonly EpochFigures[]): RunFigures | null {
  const epoch = bestEpochOf(history);
  const best = history.find((e) => e.epoch === epoch);
  const last = history.at(-1);
  if (!best || !last) return null;
  return {
    bestEpoch: best.epoch,
    bestValidationAccuracy: best.validationAccuracy,
    bestValidationLoss: best.validationLoss,
    finalEpoch: last.epoch,
    finalValidationAccuracy: last.validationAccuracy,
  };
}
