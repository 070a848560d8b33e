/**
 * The one rule for a run's "best" epoch, used by the trainer (early stopping, the kept best
 * checkpoint), the Runs table, Evaluation and the exported model card: the epoch with the lowest
 * validation loss; on a tie, the earlier one.
 */
export const BEST_EPOCH_RULE = 'lowest validation loss';

/** 1-based epoch of `history` with the lowest validation loss (ties: the earlier), 0 when empty. */
export function bestEpochOf(history: readonly { readonly epoch: number; readonly validationLoss: number }[]): number {
  let best: { epoch: number; loss: number } | null = null;
  for (const e of history) if (!best || e.validationLoss < best.loss) best = { epoch: e.epoch, loss: e.validationLoss };
  return best?.epoch ?? 0;
}
