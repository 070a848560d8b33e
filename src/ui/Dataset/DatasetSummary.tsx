import { useLab } from '../../state/store.ts';
import type { DatasetSummary, SplitName } from '../../shared/types.ts';
import { formatBytes, formatDuration } from '../common/format.ts';
import { SampleGrid } from './SampleGrid.tsx';
import { SplitChart } from './SplitChart.tsx';
import styles from './Dataset.module.css';

const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** The loaded dataset's summary, or a line saying there is none yet. */
export function DatasetSummaryView() {
  const summary = useLab((s) => s.dataset.summary);
  const loading = useLab((s) => s.dataset.status === 'loading');
  if (!summary && loading) return null;
  if (!summary) return <p className={styles.hint}>No dataset yet. FER2013 has 7 classes of 48×48 gray faces.</p>;
  return <DatasetSummaryDetails summary={summary} />;
}

/** Classes, split totals and counts, samples, skipped files and warnings of a dataset. */
export function DatasetSummaryDetails({ summary }: { summary: DatasetSummary }) {
  const sizes = Object.entries(summary.sizes).sort((a, b) => b[1] - a[1]);
  return (
    <div className={styles.summary} data-testid="dataset-summary">
      <p className={styles.name}>
        <strong>{summary.name}</strong> · {summary.format} · {summary.classes.length} classes · {formatBytes(summary.bytesHeld)} held · read
        in {formatDuration(summary.importMs)}
      </p>
      <dl className={styles.totals}>
        {SPLITS.map((split) => (
          <div key={split}>
            <dt>{split === 'validation' ? 'Validation' : split === 'train' ? 'Train' : 'Test'}</dt>
            <dd>{sum(summary.counts[split]).toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {summary.validationFromTrain && <p className={styles.hint}>Validation was carved from train (stratified, seeded).</p>}
      <SplitChart classes={summary.classes} counts={summary.counts} />
      <SampleGrid classes={summary.classes} samples={summary.samples} />
      {sizes.length > 0 && (
        <p className={styles.hint}>
          Image sizes:{' '}
          {sizes
            .slice(0, 4)
            .map(([size, n]) => `${size} (${n.toLocaleString()})`)
            .join(', ')}
        </p>
      )}
      {summary.warnings.map((w) => (
        <p key={w} className={styles.warning}>
          {w}
        </p>
      ))}
      {summary.skipped.length > 0 && (
        <details className={styles.skipped}>
          <summary>{`${summary.skipped.length.toLocaleString()} ${summary.skipped.length === 1 ? 'file' : 'files'} skipped`}</summary>
          <ul>
            {summary.skipped.slice(0, 200).map((s) => (
              <li key={s.path}>
                <code>{s.path}</code>: {s.reason}
              </li>
            ))}
          </ul>
          {summary.skipped.length > 200 && <p className={styles.hint}>…and {summary.skipped.length - 200} more.</p>}
        </details>
      )}
    </div>
  );
}
