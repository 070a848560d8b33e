import { useShallow } from 'zustand/react/shallow';
import { CHECKPOINT_EVICTED } from '../../shared/fault-messages.ts';
import { runLabel } from '../../state/run-labels.ts';
import { useLab } from '../../state/store.ts';
import type { Run } from '../../state/types.ts';
import { useLabHandle } from '../common/lab-context.ts';
import styles from './Training.module.css';

/**
 * Finished or stopped runs whose checkpoints the browser evicted between sessions: their metrics
 * stay for comparison, and the same settings can train again as a new run. (Interrupted ones are
 * listed with the interrupted runs, whose Start again trains the same run.)
 */
export function EvictedRuns({ busy }: { busy: boolean }) {
  const { commands } = useLabHandle();
  const runs = useLab(
    useShallow((s) => s.runOrder.map((id) => s.runs[id]).filter((r): r is Run => r?.evicted === true && r.status !== 'interrupted')),
  );
  if (runs.length === 0) return null;
  return (
    <ul className={styles.interrupted} data-testid="evicted-runs">
      {runs.map((run) => (
        <li key={run.id} data-testid={`evicted-${run.number}`}>
          <strong>{runLabel(run)}</strong> {CHECKPOINT_EVICTED}{' '}
          <button type="button" data-testid={`start-again-${run.number}`} disabled={busy} onClick={() => commands.startRunWith(run.config)}>
            Start again with the same settings
          </button>
        </li>
      ))}
    </ul>
  );
}
