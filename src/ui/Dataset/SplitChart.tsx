import { Bar, BarChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { SplitName } from '../../shared/types.ts';

const COLORS: Record<SplitName, string> = { train: '#4c7fd9', validation: '#e0a03a', test: '#3fa97a' };

/** Images per class in each split, stacked; a split without images gets neither a bar nor a legend entry. */
export function SplitChart({ classes, counts }: { classes: readonly string[]; counts: Readonly<Record<SplitName, readonly number[]>> }) {
  const data = classes.map((name, i) => ({
    name,
    train: counts.train[i] ?? 0,
    validation: counts.validation[i] ?? 0,
    test: counts.test[i] ?? 0,
  }));
  return (
    <div style={{ width: '100%', height: 150 }} aria-label="Images per class and split" role="img">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -12 }}>
          <XAxis dataKey="name" tick={{ fontSize: 11, fill: 'currentColor' }} interval={0} />
          <YAxis tick={{ fontSize: 11, fill: 'currentColor' }} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {(['train', 'validation', 'test'] as const)
            .filter((split) => counts[split].some((n) => n > 0))
            .map((split) => (
              <Bar key={split} dataKey={split} stackId="splits" fill={COLORS[split]} isAnimationActive={false} />
            ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
