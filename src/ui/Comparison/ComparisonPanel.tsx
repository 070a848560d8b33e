import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectFocusedRunId } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { ReportButton } from '../Report/ReportButton.tsx';
import { formatDuration, formatPercent } from '../common/format.ts';
import { runColor } from '../common/run-colors.ts';
import { editsMismatch } from '../../shared/dataset-edits.ts';
import { sortRows, toRow, type SortKey } from './run-rows.ts';
import styles from './Comparison.module.css';

const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'number', label: 'Run' },
  { key: 'regime', label: 'Regime' },
  { key: 'bestAccuracy', label: 'Val. accuracy at best epoch' },
  { key: 'bestEpoch', label: 'Best epoch (lowest val. loss)' },
  { key: 'finalAccuracy', label: 'Val. accuracy after the last epoch (as the seed study reports)' },
  { key: 'ms', label: 'Time' },
  { key: 'status', label: 'Status' },
];

/** Every run of the session, sortable, with overlay checkboxes and a "look at this run" button. */
export function ComparisonPanel() {
  const runs = useLab(useShallow((s) => s.runOrder.flatMap((id) => s.runs[id] ?? [])));
  const selected = useLab((s) => s.selectedRunIds);
  const focused = useLab(selectFocusedRunId);
  const toggle = useLab((s) => s.toggleRunSelected);
  const focus = useLab((s) => s.focusRun);
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'number', descending: false });
  const rows = useMemo(() => sortRows(runs.map(toRow), sort.key, sort.descending), [runs, sort]);
  const mismatch = useMemo(() => editsMismatch(runs), [runs]);
  const sortBy = (key: SortKey) =>
    setSort((s) => ({ key, descending: s.key === key ? !s.descending : key === 'bestAccuracy' || key === 'finalAccuracy' }));
  return (
    <Card id="comparison" title="Runs" actions={<ReportButton />}>
      <div className={styles.scroll}>
        <table className={styles.table} data-testid="runs-table">
          <thead>
            <tr>
              <th scope="col">Overlay</th>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className={styles.sort} onClick={() => sortBy(c.key)}>
                    {c.label}
                    {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
              <th scope="col">Settings</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-testid="run-row" data-status={r.status} className={r.id === focused ? styles.focused : undefined}>
                <td>
                  <input
                    type="checkbox"
                    checked={selected.includes(r.id)}
                    onChange={() => toggle(r.id)}
                    aria-label={`Overlay ${r.label} on the charts`}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    className={styles.inspect}
                    onClick={() => focus(r.id)}
                    aria-pressed={r.id === focused}
                    title="Inspect: evaluate, try and export this run"
                    aria-label={`Inspect ${r.label}`}
                  >
                    <span className={styles.swatch} style={{ background: runColor(r.number) }} aria-hidden="true" /> {r.number}
                  </button>
                </td>
                <td className={styles.wrap} data-testid="run-regime">
                  {r.regime}
                  <small className={styles.origin} data-testid="run-rates">
                    {r.rates}
                  </small>
                  {r.origin && (
                    <small className={styles.origin} data-testid="run-origin">
                      {r.origin}
                    </small>
                  )}
                  {r.edits && (
                    <small className={styles.origin} data-testid="run-edits" title={`Edit list fingerprint ${r.editsFingerprint}`}>
                      {r.edits}
                    </small>
                  )}
                </td>
                <td className={styles.num} data-testid="best-accuracy">
                  {r.bestAccuracy === null ? '—' : formatPercent(r.bestAccuracy)}
                </td>
                <td className={styles.num} data-testid="best-epoch">
                  {r.bestEpoch ?? '—'}
                </td>
                <td className={styles.num} data-testid="final-accuracy">
                  {r.finalAccuracy === null ? '—' : formatPercent(r.finalAccuracy)}
                </td>
                <td className={styles.num}>{r.ms > 0 ? formatDuration(r.ms) : '—'}</td>
                <td className={styles[r.status]} title={r.error ?? undefined}>
                  {r.status}
                  {r.status === 'failed' && r.epochsDone > 0 ? ` (${r.epochsDone} epochs kept)` : ''}
                </td>
                <td className={styles.settings}>{r.settings}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {mismatch && (
        <p className={styles.hint} role="note" data-testid="edits-mismatch">
          ⚠ {mismatch}
        </p>
      )}
      <p className={styles.hint}>
        {rows.length === 0
          ? 'No runs yet. Every run is kept here, with its settings, to compare.'
          : 'Click a run number to evaluate, try or export it; tick Overlay to draw it on the curves.'}
      </p>
    </Card>
  );
}
