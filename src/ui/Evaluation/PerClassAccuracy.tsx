import { formatPercent } from '../common/format.ts';
import styles from './Evaluation.module.css';

/** One bar per class: the share of its validation images classified correctly. */
export function PerClassAccuracy({ classes, accuracy }: { classes: readonly string[]; accuracy: readonly number[] }) {
  return (
    <ul className={styles.bars} aria-label="Per-class accuracy">
      {classes.map((name, i) => {
        const value = accuracy[i] ?? 0;
        return (
          <li key={name}>
            <span className={styles.barLabel}>{name}</span>
            <span className={styles.barTrack}>
              <span className={styles.barFill} style={{ width: `${value * 100}%` }} />
            </span>
            <span className={styles.barValue}>{formatPercent(value, 0)}</span>
          </li>
        );
      })}
    </ul>
  );
}
