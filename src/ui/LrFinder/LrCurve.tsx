import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LrFindResult } from '../../shared/types.ts';
import styles from './LrFinder.module.css';

const formatLr = (lr: number) => lr.toExponential(0);
const formatLoss = (v: number) => String(Number(v.toPrecision(3)));

/**
 * Loss (raw, faint) and smoothed loss against the learning rate on a log axis, the suggestions marked
 * (a sweep in progress has none yet).
 */
export function LrCurve({ result, testId = 'lr-curve' }: { result: LrFindResult; testId?: string }) {
  const points = result.points;
  const smoothed = points.map((p) => p.smoothedLoss);
  // The raw losses of the last batches can be huge; the y axis follows the smoothed curve.
  const top = Math.max(...smoothed.slice(0, Math.max(1, smoothed.length - 1)));
  const bottom = Math.min(...smoothed);
  const pad = (top - bottom) * 0.1 || 0.1;
  return (
    <div className={styles.plot} role="img" aria-label="Loss against learning rate" data-testid={testId} data-points={points.length}>
      <ResponsiveContainer>
        <LineChart data={points} margin={{ top: 6, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="lr"
            scale="log"
            domain={['dataMin', 'dataMax']}
            tickFormatter={formatLr}
            tick={{ fontSize: 11, fill: 'currentColor' }}
          />
          <YAxis
            type="number"
            domain={[Math.max(0, bottom - pad), top + pad]}
            allowDataOverflow
            tickFormatter={formatLoss}
            width={44}
            tick={{ fontSize: 11, fill: 'currentColor' }}
          />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? formatLoss(v) : String(v))}
            labelFormatter={(x) => `lr ${Number(x).toPrecision(2)}`}
            contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', fontSize: 12 }}
          />
          <Line dataKey="loss" name="loss" stroke="var(--muted)" strokeOpacity={0.5} dot={false} isAnimationActive={false} />
          <Line dataKey="smoothedLoss" name="smoothed" stroke="var(--accent)" strokeWidth={2} dot={false} isAnimationActive={false} />
          {result.steepest !== null && (
            <ReferenceLine
              x={result.steepest}
              stroke="#2ea36b"
              strokeDasharray="4 2"
              label={{ value: 'steepest', fontSize: 10, fill: '#2ea36b' }}
            />
          )}
          {result.minimumTenth !== null && (
            <ReferenceLine
              x={result.minimumTenth}
              stroke="#e07b39"
              strokeDasharray="4 2"
              label={{ value: 'min/10', fontSize: 10, fill: '#e07b39', position: 'insideTopRight' }}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
