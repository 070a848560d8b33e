import type { LrFindPoint } from '../../shared/types.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { LrCurve } from './LrCurve.tsx';
import styles from './LrFinder.module.css';

/** The sweep as it goes: batch i of at most N, the current rate and loss, the curve growing, and Stop. */
export function SweepProgress(props: { points: readonly LrFindPoint[]; maxSteps: number; onStop: () => void }) {
  const { points, maxSteps, onStop } = props;
  const last = points.at(-1);
  const detail = last
    ? `batch ${last.step + 1} of at most ${maxSteps} · lr ${last.lr.toExponential(1)} · loss ${last.loss.toFixed(3)} (smoothed ${last.smoothedLoss.toFixed(3)})`
    : 'the first batch compiles the kernels';
  return (
    <div data-testid="lr-progress" data-batches={points.length}>
      <ProgressBar label={`Sweeping up to ${maxSteps} batches…`} value={points.length / maxSteps} detail={detail} />
      <button type="button" onClick={onStop} data-testid="lr-stop">
        Stop the sweep
      </button>
      {points.length >= 2 && (
        <LrCurve result={{ points: [...points], stoppedBy: 'steps', steepest: null, minimumTenth: null }} testId="lr-curve-live" />
      )}
      <p className={styles.hint}>Stopping keeps the curve so far, with its suggestions; the weights are restored either way.</p>
    </div>
  );
}
