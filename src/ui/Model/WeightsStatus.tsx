import { useLab } from '../../state/store.ts';
import type { WeightsProgress } from '../../state/types.ts';
import { formatBytes, formatDuration } from '../common/format.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { describeWeights } from './weights-description.ts';
import { weightsNotes } from './weights-notes.ts';
import styles from './Model.module.css';

const PHASES = { downloading: 'Downloading', converting: 'Converting to TensorFlow.js', caching: 'Saving to the browser cache' } as const;

function progressDetail(p: WeightsProgress): string {
  const bytes = p.totalBytes ? `${formatBytes(p.loadedBytes)} of ${formatBytes(p.totalBytes)}` : formatBytes(p.loadedBytes);
  const elapsed = p.updatedAt - p.startedAt;
  if (!p.totalBytes || elapsed < 500 || p.loadedBytes === 0) return bytes;
  const eta = ((p.totalBytes - p.loadedBytes) * elapsed) / p.loadedBytes;
  return `${bytes} · about ${formatDuration(eta)} left`;
}

/** Where the backbone's weights came from, or how far their download is. */
export function WeightsStatus() {
  const weights = useLab((s) => s.weights);
  const { info, progress } = weights;
  const datasetClasses = useLab((s) => s.dataset.summary?.classes.length ?? null);
  const described = info && describeWeights(info);
  const notes = info ? weightsNotes(info, datasetClasses) : [];
  return (
    <div className={styles.status} data-testid="weights-status" aria-live="polite">
      {weights.status === 'idle' && (
        <p className={styles.hint}>No weights loaded yet. Training needs a backbone: pretrained is the point of the study.</p>
      )}
      {weights.status === 'loading' &&
        (progress ? (
          <ProgressBar
            label={PHASES[progress.phase]}
            value={progress.totalBytes ? progress.loadedBytes / progress.totalBytes : null}
            detail={progressDetail(progress)}
          />
        ) : (
          <ProgressBar label="Looking for the weights…" value={null} />
        ))}
      {weights.status === 'loaded' && info && described && (
        <p className={info.pretrained ? styles.pretrained : styles.random}>
          <strong>{described.heading}</strong>
          <span>{described.detail}</span>
        </p>
      )}
      {weights.status === 'loaded' && notes.length > 0 && (
        <ul className={styles.notes} data-testid="weights-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {weights.status === 'failed' && <p className={styles.error}>Could not load the weights: {weights.error}</p>}
      {weights.status === 'loaded' && weights.error && (
        <p className={styles.error}>The new weights could not be loaded ({weights.error}); these weights are still in use.</p>
      )}
    </div>
  );
}
