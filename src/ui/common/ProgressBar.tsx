import styles from './common.module.css';

/** A labelled progress bar; `value` null shows an indeterminate bar. */
export function ProgressBar({ value, label, detail }: { value: number | null; label: string; detail?: string }) {
  const percent = value === null ? undefined : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className={styles.progress}>
      <div className={styles.progressText}>
        <span>{label}</span>
        {detail && <span className={styles.muted}>{detail}</span>}
      </div>
      <div className={styles.track} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div
          className={percent === undefined ? styles.indeterminate : styles.fill}
          style={percent === undefined ? undefined : { width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
