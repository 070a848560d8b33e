import { MOVEMENT_BLOCKS } from '../../shared/types.ts';
import { shortRunLabel } from '../../state/run-labels.ts';
import type { Run } from '../../state/types.ts';
import { formatMovement, type MovementPoint } from './block-series.ts';
import styles from './BlockMovement.module.css';

/** The runs side by side: each block's movement after each run's latest measured epoch. */
export function MovementTable({ runs, series }: { runs: readonly Run[]; series: readonly (readonly MovementPoint[])[] }) {
  return (
    <table className={styles.table} data-testid="block-movement-table">
      <thead>
        <tr>
          <th scope="col">block</th>
          {runs.map((run, i) => (
            <th key={run.id} scope="col" title={`after epoch ${series[i]?.at(-1)?.epoch ?? '—'}`}>
              {shortRunLabel(run)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {MOVEMENT_BLOCKS.map((block) => (
          <tr key={block}>
            <th scope="row">{block}</th>
            {runs.map((run, i) => {
              const last = series[i]?.at(-1);
              return <td key={run.id}>{last && last.epoch > 0 ? formatMovement(last[block]) : '—'}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
