import { useShallow } from 'zustand/react/shallow';
import { runLabel } from '../../state/run-labels.ts';
import { useLab } from '../../state/store.ts';
import type { Run } from '../../state/types.ts';
import { useLabHandle } from '../common/lab-context.ts';
import styles from './Training.module.css';

/** "interrupted at epoch 2 of 3" and whether Resume can continue it (from which epoch). */
export function interruptedText(run: Pick<Run, 'epochs' | 'config' | 'resumeEpoch'>): string {
  const at = `interrupted at epoch ${run.epochs.length} of ${run.config.epochs}`;
  if (run.resumeEpoch === null) return `${at}: no checkpoint was saved, so it cannot resume; start it again.`;
  return `${at}. Resume continues with epoch ${run.resumeEpoch + 1}, exactly as if it had not stopped.`;
}

/** Runs the page or the worker lost while they trained, each with Resume. */
export function InterruptedRuns({ busy }: { busy: boolean }) {
  const { storage } = useLabHandle();
  const runs = useLab(useShallow((s) => s.runOrder.map((id) => s.runs[id]).filter((r): r is Run => r?.status === 'interrupted')));
  if (runs.length === 0) return null;
  return (
    <ul className={styles.interrupted} data-testid="interrupted-runs">
      {runs.map((run) => (
        <li key={run.id} data-testid={`interrupted-${run.number}`}>
          <strong>{runLabel(run)}</strong> {interruptedText(run)}
          {run.error && <span className={styles.hint}> ({run.error})</span>}{' '}
          <button
            type="button"
            className="primary"
            data-testid={`resume-${run.number}`}
            disabled={busy || run.resumeEpoch === null}
            onClick={() => storage.resumeRun(run.id)}
          >
            Resume
          </button>
        </li>
      ))}
    </ul>
  );
}
