import type { SplitName } from '../../shared/types.ts';
import styles from './Dataset.module.css';

const SPLIT_LABELS: Record<SplitName, string> = { train: 'Train', validation: 'Validation', test: 'Test' };

/** Images per class and split as a small text table; splits without images are left out. */
export function ClassCounts({ classes, counts }: { classes: readonly string[]; counts: Readonly<Record<SplitName, readonly number[]>> }) {
  const splits = (['train', 'validation', 'test'] as const).filter((split) => counts[split].some((n) => n > 0));
  return (
    <table className={styles.classTable} data-testid="class-counts">
      <thead>
        <tr>
          <th scope="col">Class</th>
          {splits.map((split) => (
            <th scope="col" key={split}>
              {SPLIT_LABELS[split]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {classes.map((name, i) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            {splits.map((split) => (
              <td key={split}>{(counts[split][i] ?? 0).toLocaleString()}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
