import { expectedFirstBatchSeconds, stepKindOf } from '../../shared/first-batch-time.ts';
import { useLab } from '../../state/store.ts';
import { formatDuration } from '../common/format.ts';
import styles from './Training.module.css';

/** Shown beside Start: what the first batch of the current settings should take, when that is long (10 s or more). */
export function FirstBatchForecast() {
  const info = useLab((s) => s.backend.info);
  const config = useLab((s) => s.config.train);
  const seconds = info ? expectedFirstBatchSeconds(info, config, stepKindOf(config)) : null;
  if (!info || seconds === null || seconds < 10) return null;
  const threads = info.backend === 'wasm' && info.threads ? `, ${info.threads} threads` : '';
  return (
    <p className={styles.hint} data-testid="first-batch-forecast">
      The first batch ({config.batchSize} images at {config.inputSize} px) should take about {formatDuration(seconds * 1000)} on{' '}
      {info.backend.toUpperCase()}
      {threads}: it also builds every kernel. Later batches are faster.
    </p>
  );
}
