import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { runLabel } from '../../state/run-labels.ts';
import type { Run } from '../../state/types.ts';
import { runColor } from '../common/run-colors.ts';
import { batchSeries, epochSeries, type Metric } from './chart-series.ts';
import styles from './Charts.module.css';

const formatY = (metric: Metric) => (v: number) => (metric === 'accuracy' ? `${Math.round(v * 100)}%` : v.toFixed(2));

/**
 * One metric for the given runs on shared axes: smoothed per-batch training (thin), per-epoch
 * training (dashed) and validation (solid, dots). Animation is off: the series grow every frame.
 */
export function MetricChart({ metric, runs, testId }: { metric: Metric; runs: readonly Run[]; testId: string }) {
  const maxEpochs = Math.max(1, ...runs.map((r) => r.config.epochs));
  const title = metric === 'loss' ? 'Loss' : 'Accuracy';
  return (
    <figure className={styles.figure} data-testid={testId}>
      <figcaption className={styles.caption}>{title}</figcaption>
      <div className={styles.plot} role="img" aria-label={`${title} per epoch for ${runs.map(runLabel).join(', ') || 'no runs yet'}`}>
        <ResponsiveContainer>
          <LineChart margin={{ top: 6, right: 12, bottom: 4, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="x"
              domain={[0, maxEpochs]}
              allowDecimals={false}
              tickCount={Math.min(maxEpochs + 1, 11)}
              tick={{ fontSize: 11, fill: 'currentColor' }}
              label={{ value: 'epoch', position: 'insideBottomRight', offset: -2, fontSize: 11, fill: 'currentColor' }}
            />
            <YAxis
              type="number"
              dataKey="y"
              domain={metric === 'accuracy' ? [0, 1] : [0, 'auto']}
              tickFormatter={formatY(metric)}
              width={44}
              tick={{ fontSize: 11, fill: 'currentColor' }}
            />
            <Tooltip
              formatter={(v) => (typeof v === 'number' ? formatY(metric)(v) : String(v))}
              labelFormatter={(x) => `epoch ${Number(x).toFixed(2)}`}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 }}
            />
            {runs.flatMap((run) => {
              const color = runColor(run.number);
              return [
                <Line
                  key={`${run.id}-b`}
                  name={`${runLabel(run)} · train (per batch, smoothed)`}
                  data={batchSeries(run, metric)}
                  dataKey="y"
                  stroke={color}
                  strokeOpacity={0.45}
                  strokeWidth={1}
                  dot={false}
                  isAnimationActive={false}
                />,
                <Line
                  key={`${run.id}-t`}
                  name={`${runLabel(run)} · train (epoch)`}
                  data={epochSeries(run, metric, 'train')}
                  dataKey="y"
                  stroke={color}
                  strokeDasharray="5 3"
                  strokeWidth={1.5}
                  dot={false}
                  isAnimationActive={false}
                />,
                <Line
                  key={`${run.id}-v`}
                  name={`${runLabel(run)} · validation`}
                  data={epochSeries(run, metric, 'validation')}
                  dataKey="y"
                  stroke={color}
                  strokeWidth={2.5}
                  dot={{ r: 3 }}
                  isAnimationActive={false}
                />,
              ];
            })}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
