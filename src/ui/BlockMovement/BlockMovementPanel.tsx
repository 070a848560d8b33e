import { useShallow } from 'zustand/react/shallow';
import { selectActiveRunId, selectFocusedRunId } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import type { LabState, Run } from '../../state/types.ts';
import { Card } from '../common/Card.tsx';
import { BlockMovementChart } from './BlockMovementChart.tsx';
import { movementMax, movementSeries } from './block-series.ts';
import { MovementTable } from './MovementTable.tsx';
import styles from './BlockMovement.module.css';

/** The runs compared: those ticked in the runs table and the one training now, else the focused run. */
function selectMovementRuns(s: LabState): Run[] {
  const active = selectActiveRunId(s);
  const ticked = s.runOrder.filter((id) => id === active || s.selectedRunIds.includes(id));
  const focused = selectFocusedRunId(s);
  const ids = ticked.length > 0 ? ticked : focused ? [focused] : [];
  return ids.flatMap((id) => s.runs[id] ?? []);
}

/**
 * How far each block moved from the run's start, ‖W − W₀‖ / ‖W₀‖ per epoch: one chart per run on one
 * shared axis, and a table of the latest values side by side.
 */
export function BlockMovementPanel() {
  const runs = useLab(useShallow(selectMovementRuns));
  const series = runs.map((run) => movementSeries(run.epochs));
  const yMax = movementMax(series);
  return (
    <Card id="block-movement" title="How far each block moved">
      {runs.length === 0 ? (
        <p className={styles.hint}>After each epoch of a run: how far each block&apos;s weights moved from where they started.</p>
      ) : (
        <>
          <p className={styles.hint}>
            ‖W − W₀‖ / ‖W₀‖ per block after each epoch (0: unchanged; 0.01: moved by 1 % of its size). Tick runs in the table to compare
            them on one axis.
          </p>
          <div className={styles.charts}>
            {runs.map((run, i) => (
              <BlockMovementChart key={run.id} run={run} points={series[i] ?? []} yMax={yMax} />
            ))}
          </div>
          <MovementTable runs={runs} series={series} />
        </>
      )}
    </Card>
  );
}
