import { INPUT_SIZES } from '../../state/config-defaults.ts';
import { useLab } from '../../state/store.ts';
import { useLabHandle } from '../common/lab-context.ts';
import styles from './Training.module.css';

/**
 * A Start the worker refused because the run would not fit in memory: its words (the estimate, the
 * limit, the largest batch and size that fit) and a button that applies the batch that fits and starts
 * (the run alone, or the queue it belonged to, with that batch for every regime left).
 */
export function MemoryRefusal({ busy }: { busy: boolean }) {
  const { commands } = useLabHandle();
  const refusal = useLab((s) => s.refusal);
  const updateTrainConfig = useLab((s) => s.updateTrainConfig);
  const dismiss = useLab((s) => s.dismissRefusal);
  const queueWaiting = useLab((s) => s.queue?.waiting === true);
  if (!refusal) return null;
  const { largestBatch } = refusal.refusal;
  // The Model panel offers a few sizes: the largest of them that fits.
  const largestSize = INPUT_SIZES.filter((size) => size <= (refusal.refusal.largestSize ?? 0)).at(-1) ?? null;
  const applyBatch = (): void => {
    updateTrainConfig({ batchSize: largestBatch });
    // A refused run of "Run all four regimes": the queue goes on with this batch, for all its regimes.
    if (queueWaiting) commands.resumeQueueWithBatch(largestBatch);
    else commands.startRun();
  };
  const applySize = (): void => {
    if (largestSize !== null) updateTrainConfig({ inputSize: largestSize });
    dismiss();
  };
  return (
    <div className={styles.refusal} role="alert" data-testid="memory-refusal">
      <p>{refusal.message}</p>
      <div className={styles.controls}>
        {largestBatch > 0 && (
          <button type="button" className="primary" data-testid="apply-batch" disabled={busy} onClick={applyBatch}>
            Start with batch {largestBatch}
          </button>
        )}
        {largestSize !== null && (
          <button type="button" data-testid="apply-size" onClick={applySize}>
            Use {largestSize} px (batch {refusal.config.batchSize})
          </button>
        )}
        <button type="button" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
