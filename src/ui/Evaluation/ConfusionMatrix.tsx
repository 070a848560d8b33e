import styles from './Evaluation.module.css';

/** A confusion matrix as a table of buttons; shade follows the row-normalised value. */
export function ConfusionMatrix(props: {
  classes: readonly string[];
  confusion: readonly (readonly number[])[];
  normalised: boolean;
  selected: { trueClass: number; predictedClass: number } | null;
  onCell(trueClass: number, predictedClass: number): void;
}) {
  const { classes, confusion, normalised, selected } = props;
  return (
    <table className={styles.matrix} data-testid="confusion-matrix">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">True class \ predicted class</span>
          </th>
          {classes.map((c) => (
            <th key={c} scope="col" className={styles.colHead}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {classes.map((trueName, t) => {
          const row = confusion[t] ?? [];
          const total = row.reduce((a, b) => a + b, 0);
          return (
            <tr key={trueName}>
              <th scope="row">{trueName}</th>
              {classes.map((predName, p) => {
                const count = row[p] ?? 0;
                const share = total > 0 ? count / total : 0;
                const isSelected = selected?.trueClass === t && selected.predictedClass === p;
                return (
                  <td key={predName}>
                    <button
                      type="button"
                      className={`${styles.cell} ${t === p ? styles.diagonal : ''} ${isSelected ? styles.selectedCell : ''}`}
                      style={{ ['--share' as string]: share }}
                      onClick={() => props.onCell(t, p)}
                      disabled={count === 0}
                      aria-label={`True ${trueName}, predicted ${predName}: ${count} images (${Math.round(share * 100)}% of ${trueName})`}
                    >
                      {normalised ? `${Math.round(share * 100)}%` : count}
                    </button>
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
