import { formatPercent } from '../common/format.ts';
import styles from './TryIt.module.css';

/** Class probabilities as bars, most likely first. */
export function Probabilities({ classes, probabilities }: { classes: readonly string[]; probabilities: readonly number[] }) {
  const order = classes.map((name, i) => ({ name, p: probabilities[i] ?? 0 })).sort((a, b) => b.p - a.p);
  return (
    <ul className={styles.bars} data-testid="probabilities" aria-label="Predicted probabilities">
      {order.map(({ name, p }, rank) => (
        <li key={name} className={rank === 0 ? styles.top : undefined}>
          <span>{name}</span>
          <span className={styles.track}>
            <span className={styles.fill} style={{ width: `${p * 100}%` }} />
          </span>
          <span className={styles.value}>{formatPercent(p)}</span>
        </li>
      ))}
    </ul>
  );
}
