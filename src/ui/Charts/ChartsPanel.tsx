import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { runLabel } from '../../state/run-labels.ts';
import { selectActiveRunId } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import type { LabState, Run } from '../../state/types.ts';
import { Card } from '../common/Card.tsx';
import { runColor } from '../common/run-colors.ts';
import { MetricChart } from './MetricChart.tsx';
import styles from './Charts.module.css';

/** The overlaid runs: those ticked in the comparison table, plus the one training now. */
function selectChartRuns(s: LabState): Run[] {
  const active = selectActiveRunId(s);
  return s.runOrder.filter((id) => id === active || s.selectedRunIds.includes(id)).flatMap((id) => s.runs[id] ?? []);
}

/** Live loss and accuracy curves; overlay runs by ticking them in the comparison table. */
export function ChartsPanel() {
  const runs = useLab(useShallow(selectChartRuns));
  // On by default: a probe on random weights sits near loss 150 and would flatten every other curve.
  const [logLoss, setLogLoss] = useState(true);
  return (
    <Card id="charts" title="Curves">
      {runs.length === 0 ? (
        <p className={styles.hint}>Curves appear here as soon as a run starts. Tick runs in the table to overlay them.</p>
      ) : (
        <>
          <ul className={styles.legend} aria-label="Runs on the charts">
            {runs.map((run) => (
              <li key={run.id}>
                <span className={styles.swatch} style={{ background: runColor(run.number) }} aria-hidden="true" />
                {runLabel(run)}
              </li>
            ))}
            <li className={styles.key}>thin: train per batch (smoothed) · dashed: train per epoch · thick with dots: validation</li>
          </ul>
          <div className={styles.charts}>
            <MetricChart metric="loss" runs={runs} testId="loss-chart" logScale={logLoss} onLogScaleChange={setLogLoss} />
            <MetricChart metric="accuracy" runs={runs} testId="accuracy-chart" />
          </div>
        </>
      )}
    </Card>
  );
}
