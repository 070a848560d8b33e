import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { runLabel } from '../../state/run-labels.ts';
import type { Run } from '../../state/types.ts';
import { runColor } from '../common/run-colors.ts';
import { batchSeries, epochSeries, type ChartPoint, type Metric } from './chart-series.ts';
import { formatLogTick, LOG_FLOOR, logAxis } from './log-axis.ts';
import styles from './Charts.module.css';

/** Accuracy as "64%"; loss to 3 significant digits ("148", "1.95", "0.0312"), not "148.00" on a 44 px axis. */
const formatY = (metric: Metric) => (v: number) => (metric === 'accuracy' ? `${Math.round(v * 100)}%` : String(Number(v.toPrecision(3))));

interface Series {
  readonly run: Run;
  readonly batch: ChartPoint[];
  readonly train: ChartPoint[];
  readonly validation: ChartPoint[];
}

/** Each run's three series; on a log axis, values are kept above LOG_FLOOR (a log axis has no 0). */
function seriesOf(runs: readonly Run[], metric: Metric, log: boolean): Series[] {
  const fit = (points: ChartPoint[]) => (log ? points.map((p) => ({ x: p.x, y: Math.max(p.y, LOG_FLOOR) })) : points);
  return runs.map((run) => ({
    run,
    batch: fit(batchSeries(run, metric)),
    train: fit(epochSeries(run, metric, 'train')),
    validation: fit(epochSeries(run, metric, 'validation')),
  }));
}

/**
 * One metric for the given runs on shared axes: smoothed per-batch training (thin), per-epoch
 * training (dashed) and validation (solid, dots). Animation is off: the series grow every frame.
 * With `logScale` the y axis is logarithmic (whole decades), for losses of very different sizes;
 * `onLogScaleChange` shows the checkbox that switches it.
 */
export function MetricChart({
  metric,
  runs,
  testId,
  logScale = false,
  onLogScaleChange,
}: {
  metric: Metric;
  runs: readonly Run[];
  testId: string;
  logScale?: boolean;
  onLogScaleChange?: (logScale: boolean) => void;
}) {
  const maxEpochs = Math.max(1, ...runs.map((r) => r.config.epochs));
  const title = metric === 'loss' ? 'Loss' : 'Accuracy';
  const series = seriesOf(runs, metric, logScale);
  const log = logScale ? logAxis(series.flatMap((s) => [...s.batch, ...s.train, ...s.validation].map((p) => p.y))) : null;
  return (
    <figure className={styles.figure} data-testid={testId}>
      <figcaption className={styles.caption}>
        {title}
        {onLogScaleChange && (
          <label className={styles.toggle}>
            <input type="checkbox" checked={logScale} onChange={(e) => onLogScaleChange(e.target.checked)} /> Log scale
          </label>
        )}
      </figcaption>
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
              scale={log ? 'log' : 'auto'}
              domain={log ? log.domain : metric === 'accuracy' ? [0, 1] : [0, 'auto']}
              ticks={log?.ticks}
              tickFormatter={log ? formatLogTick : formatY(metric)}
              width={44}
              tick={{ fontSize: 11, fill: 'currentColor' }}
            />
            <Tooltip
              formatter={(v) => (typeof v === 'number' ? formatY(metric)(v) : String(v))}
              labelFormatter={(x) => `epoch ${Number(x).toFixed(2)}`}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 }}
            />
            {series.flatMap(({ run, batch, train, validation }) => {
              const color = runColor(run.number);
              return [
                <Line
                  key={`${run.id}-b`}
                  name={`${runLabel(run)} · train (per batch, smoothed)`}
                  data={batch}
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
                  data={train}
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
                  data={validation}
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
