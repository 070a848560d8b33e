import type { Run } from '../../state/types.ts';
import { formatDuration, formatPercent } from '../common/format.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { FirstBatch } from './FirstBatch.tsx';
import styles from './Training.module.css';

/** Epoch/batch progress, throughput and time left of a running run. */
export function RunProgress({ run }: { run: Run }) {
  const { lastBatch } = run;
  if (!lastBatch && run.features && run.features.done < run.features.total) {
    return (
      <ProgressBar
        label={`Computing backbone features once (linear probe): ${run.features.done.toLocaleString()} of ${run.features.total.toLocaleString()} images`}
        value={run.features.done / run.features.total}
        detail="Then every epoch trains only the classifier on the cached features, in milliseconds."
      />
    );
  }
  if (!lastBatch || run.batchesPerEpoch === 0) return <FirstBatch run={run} />;
  const total = run.config.epochs * run.batchesPerEpoch;
  const done = Math.min(total, run.batches.length);
  const ips = lastBatch.imagesPerSecond;
  const eta = ips > 0 ? ((total - done) * run.config.batchSize * 1000) / ips : null;
  const lastEpoch = run.epochs[run.epochs.length - 1];
  const trained = lastBatch.elapsedMs !== undefined ? ` · ${formatDuration(lastBatch.elapsedMs)} trained` : '';
  return (
    <div className={styles.progress}>
      <ProgressBar
        label={`Epoch ${lastBatch.epoch} of ${run.config.epochs} · batch ${done - (lastBatch.epoch - 1) * run.batchesPerEpoch} of ${run.batchesPerEpoch}`}
        value={done / total}
        detail={`${Math.round(ips).toLocaleString()} images/s · ${ips > 0 ? (run.config.batchSize / ips).toFixed(1) : '—'} s per batch${eta !== null ? ` · about ${formatDuration(eta)} left` : ''}${trained}`}
      />
      {run.resumeAt && (
        <p className={styles.hint} data-testid="last-checkpoint">
          Last checkpoint:{' '}
          {run.resumeAt.batch > 0
            ? `after batch ${run.resumeAt.batch} of epoch ${run.resumeAt.epoch + 1}`
            : `end of epoch ${run.resumeAt.epoch}`}{' '}
          ({formatDuration(run.resumeAt.elapsedMs)} of training); a reload continues from there.
        </p>
      )}
      <dl className={styles.stats}>
        <div>
          <dt>Batch loss</dt>
          <dd>{lastBatch.loss.toFixed(3)}</dd>
        </div>
        <div>
          <dt>Batch accuracy</dt>
          <dd>{formatPercent(lastBatch.accuracy)}</dd>
        </div>
        <div>
          <dt>Last validation accuracy</dt>
          <dd>{lastEpoch ? formatPercent(lastEpoch.validationAccuracy) : '—'}</dd>
        </div>
      </dl>
    </div>
  );
}
