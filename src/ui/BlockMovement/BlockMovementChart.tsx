import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { MOVEMENT_BLOCKS } from '../../shared/types.ts';
import { runLabel } from '../../state/run-labels.ts';
import type { Run } from '../../state/types.ts';
import { runColor } from '../common/run-colors.ts';
import { BLOCK_COLORS, formatMovement, type MovementPoint } from './block-series.ts';
import styles from './BlockMovement.module.css';

/** One run's movement per block and epoch, on the y axis shared by every run shown (`yMax`). */
export function BlockMovementChart({ run, points, yMax }: { run: Run; points: readonly MovementPoint[]; yMax: number }) {
  const label = runLabel(run);
  return (
    <figure className={styles.figure} data-testid="block-movement-chart" data-run={run.number} data-epochs={Math.max(0, points.length - 1)}>
      <figcaption className={styles.caption}>
        <span className={styles.swatch} style={{ background: runColor(run.number) }} aria-hidden="true" />
        {label}
      </figcaption>
      {points.length === 0 ? (
        <p className={styles.hint}>No movement kept for this run (trained before it was measured, or resumed without its start).</p>
      ) : (
        <div className={styles.plot} role="img" aria-label={`Relative change of each block's weights per epoch for ${label}`}>
          <ResponsiveContainer>
            <LineChart data={points as MovementPoint[]} margin={{ top: 6, right: 12, bottom: 4, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                type="number"
                dataKey="epoch"
                domain={[0, Math.max(1, run.config.epochs)]}
                allowDecimals={false}
                tick={{ fontSize: 11, fill: 'currentColor' }}
              />
              <YAxis
                type="number"
                domain={[0, yMax > 0 ? yMax : 1]}
                tickFormatter={formatMovement}
                width={48}
                tick={{ fontSize: 11, fill: 'currentColor' }}
              />
              <Tooltip
                formatter={(v) => (typeof v === 'number' ? formatMovement(v) : String(v))}
                labelFormatter={(x) => `epoch ${String(x)}`}
                contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 }}
              />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              {MOVEMENT_BLOCKS.map((block) => (
                <Line
                  key={block}
                  dataKey={block}
                  name={block}
                  stroke={BLOCK_COLORS[block]}
                  strokeWidth={block === 'fc' ? 2.5 : 1.5}
                  dot={{ r: 2 }}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
