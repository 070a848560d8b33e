import { useLab } from '../../state/store.ts';
import type { DatasetSummary, SplitName } from '../../shared/types.ts';
import { formatBytes, formatDuration } from '../common/format.ts';
import { ClassCounts } from './ClassCounts.tsx';
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
  if (!summary)
    return (
      <p className={styles.hint}>
        No dataset yet. Any image-classification set works: one folder per class, optionally inside train/, val/ and test/ folders. For
        example FER2013: 7 expressions, 48×48 gray faces.
      </p>
    );
  return <DatasetSummaryDetails summary={summary} />;
}

/** How validation came to be: carved per image or by group, or the data's own. */
export function splitNote(summary: DatasetSummary): string | null {
  if (!summary.validationFromTrain) return null;
  const by = summary.splitBy;
  if (!by || by.kind === 'image') return 'Validation was carved from train per image (stratified, seeded).';
  const noun = by.kind === 'subject' ? 'subjects' : 'groups';
  return (
    `Validation was carved from train, split by ${by.kind === 'subject' ? 'subject' : 'group'}: ${by.groups.toLocaleString()} ${noun}` +
    ` (${by.validationGroups.toLocaleString()} in validation: ${by.validationKeys.slice(0, 12).join(', ')}${by.validationKeys.length > 12 ? ', …' : ''});` +
    ` no ${by.kind === 'subject' ? 'subject' : 'group'} is on both sides.`
  );
}

/** Classes, split totals and counts, samples, skipped files and warnings of a dataset. */
export function DatasetSummaryDetails({ summary }: { summary: DatasetSummary }) {
  const sizes = Object.entries(summary.sizes).sort((a, b) => b[1] - a[1]);
  return (
    <div className={styles.summary} data-testid="dataset-summary">
      <p className={styles.name}>
        <strong>{summary.name}</strong> · {summary.format} · {summary.classes.length} classes ({summary.classes.join(', ')}) ·{' '}
        {formatBytes(summary.bytesHeld)} held · read in {formatDuration(summary.importMs)}
      </p>
      <dl className={styles.totals}>
        {SPLITS.map((split) => (
          <div key={split}>
            <dt>{split === 'validation' ? 'Validation' : split === 'train' ? 'Train' : 'Test'}</dt>
            <dd>{sum(summary.counts[split]).toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {summary.validationFromTrain && (
        <p className={styles.hint} data-testid="split-note">
          {splitNote(summary)}
        </p>
      )}
      <SplitChart classes={summary.classes} counts={summary.counts} />
      <ClassCounts classes={summary.classes} counts={summary.counts} />
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
