import { useState } from 'react';
import type { ReplyOf } from '../../shared/protocol.ts';
import type { LrFindPoint } from '../../shared/types.ts';
import { ratesSummary } from '../../shared/run-naming.ts';
import { selectIsTraining, selectReadyToTrain } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { useLabHandle } from '../common/lab-context.ts';
import { NumberField } from '../common/NumberField.tsx';
import { ratesScaledTo } from './apply-rates.ts';
import { LrCurve } from './LrCurve.tsx';
import { SweepProgress } from './SweepProgress.tsx';
import styles from './LrFinder.module.css';

type Sweep =
  | { readonly status: 'running'; readonly points: readonly LrFindPoint[]; readonly maxSteps: number; readonly stop: () => void }
  | { readonly status: 'failed' }
  | { readonly status: 'done'; readonly reply: ReplyOf<'lr/find'> };

/**
 * The LR range test for the regime as set above: the loss against an exponentially growing rate, with
 * fastai's two suggestions; Apply scales the regime's rates to one, keeping their ratios.
 */
export function LrFinderPanel() {
  const { commands } = useLabHandle();
  const train = useLab((s) => s.config.train);
  const update = useLab((s) => s.updateTrainConfig);
  const ready = useLab(selectReadyToTrain);
  const training = useLab(selectIsTraining);
  const [range, setRange] = useState({ startLr: 1e-7, endLr: 10, maxSteps: 100 });
  const [sweep, setSweep] = useState<Sweep | null>(null);
  const start = () => {
    const sweepRun = commands.findLearningRate(train, range, (point) =>
      setSweep((s) => (s?.status === 'running' ? { ...s, points: [...s.points, point] } : s)),
    );
    setSweep({ status: 'running', points: [], maxSteps: range.maxSteps, stop: sweepRun.stop });
    sweepRun.done.then(
      (reply) => setSweep({ status: 'done', reply }),
      () => setSweep({ status: 'failed' }),
    );
  };
  const reply = sweep?.status === 'done' ? sweep.reply : null;
  const apply = (lr: number) => update({ learningRates: ratesScaledTo(train.learningRates, lr) });
  const suggestion = (label: string, lr: number | null, testId: string) =>
    lr !== null && (
      <button
        type="button"
        onClick={() => apply(lr)}
        data-testid={testId}
        data-lr={lr}
        title={`Sets the largest rate to ${lr.toPrecision(3)}, keeping the ratios`}
      >
        Apply {label} {lr.toPrecision(2)}
      </button>
    );
  return (
    <Card id="lr-finder" title="Which learning rate (LR range test)">
      <p className={styles.hint}>
        A short sweep from the weights a new run starts from: the rate grows exponentially every batch, with this regime&apos;s ratios (
        {ratesSummary(train.learningRates)}), until the loss diverges. The weights are restored; nothing is trained.
      </p>
      <div className={styles.fields}>
        <NumberField label="from" value={range.startLr} min={1e-10} max={1} onChange={(startLr) => setRange({ ...range, startLr })} />
        <NumberField label="to" value={range.endLr} min={1e-6} max={100} onChange={(endLr) => setRange({ ...range, endLr })} />
        <NumberField
          label="batches"
          value={range.maxSteps}
          min={2}
          max={1000}
          step={1}
          onChange={(maxSteps) => setRange({ ...range, maxSteps: Math.round(maxSteps) })}
        />
      </div>
      <button type="button" onClick={start} disabled={!ready || training || sweep?.status === 'running'} data-testid="lr-find">
        {sweep?.status === 'running' ? 'Sweeping…' : 'Find the learning rate'}
      </button>
      {sweep?.status === 'running' && <SweepProgress points={sweep.points} maxSteps={sweep.maxSteps} onStop={sweep.stop} />}
      {sweep?.status === 'failed' && <p className={styles.hint}>No sweep (see the message above).</p>}
      {reply && (
        <>
          <LrCurve result={reply} />
          <p className={styles.hint} data-testid="lr-summary">
            {reply.points.length} batches,{' '}
            {reply.stoppedBy === 'diverged' ? 'stopped when the loss diverged' : reply.stoppedBy === 'steps' ? 'no divergence' : 'stopped'}.
            Pick a rate on the steep descent, well before the minimum.
          </p>
          <div className={styles.fields}>
            {suggestion('steepest', reply.steepest, 'lr-apply-steepest')}
            {suggestion('min/10', reply.minimumTenth, 'lr-apply-minimum')}
          </div>
        </>
      )}
    </Card>
  );
}
