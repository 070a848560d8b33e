import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { runLabel } from '../../state/run-labels.ts';
import { useLab } from '../../state/store.ts';
import styles from './fields.module.css';

/** Chooses the focused run (shared by Evaluation, Try it and Export); lists runs with at least one epoch. */
export function RunPicker({ label }: { label: string }) {
  const id = useId();
  const options = useLab(
    useShallow((s) =>
      s.runOrder.flatMap((runId) => {
        const run = s.runs[runId];
        return run && run.epochs.length > 0 ? [`${runLabel(run)} (${run.status})`] : [];
      }),
    ),
  );
  const ids = useLab(useShallow((s) => s.runOrder.filter((runId) => (s.runs[runId]?.epochs.length ?? 0) > 0)));
  const focused = useLab((s) => s.focusedRunId);
  const focus = useLab((s) => s.focusRun);
  if (ids.length === 0) return <p className={styles.hint}>No run has finished an epoch yet.</p>;
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={focused && ids.includes(focused) ? focused : ''} onChange={(e) => focus(e.target.value || null)}>
        <option value="">Choose a run…</option>
        {ids.map((runId, i) => (
          <option key={runId} value={runId}>
            {options[i]}
          </option>
        ))}
      </select>
    </div>
  );
}
