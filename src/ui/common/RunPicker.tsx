import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { fullRunLabel, shortRunLabel } from '../../state/run-labels.ts';
import { selectFocusedRunId } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import styles from './fields.module.css';

/**
 * Chooses the focused run (shared by Evaluation, Try it and Export); lists runs with at least one
 * epoch, finished or not, and shows the default focus (the newest finished run) until one is picked.
 */
export function RunPicker({ label }: { label: string }) {
  const id = useId();
  const ids = useLab(useShallow((s) => s.runOrder.filter((runId) => (s.runs[runId]?.epochs.length ?? 0) > 0)));
  // Short labels fit a narrow panel; the full description is each option's (and the select's) title.
  const labels = useLab(useShallow((s) => ids.map((runId) => (s.runs[runId] ? shortRunLabel(s.runs[runId]) : ''))));
  const titles = useLab(useShallow((s) => ids.map((runId) => (s.runs[runId] ? fullRunLabel(s.runs[runId]) : ''))));
  const focused = useLab(selectFocusedRunId);
  const focus = useLab((s) => s.focusRun);
  if (ids.length === 0 || focused === null) return <p className={styles.hint}>No run has finished an epoch yet.</p>;
  return (
    <div className={styles.field}>
      <label htmlFor={id}>{label}</label>
      <select
        className={styles.select}
        id={id}
        value={focused}
        title={titles[ids.indexOf(focused)]}
        onChange={(e) => focus(e.target.value)}
      >
        {ids.map((runId, i) => (
          <option key={runId} value={runId} title={titles[i]}>
            {labels[i]}
          </option>
        ))}
      </select>
    </div>
  );
}
