import { REGIMES } from '../../shared/regimes.ts';
import { runLabel } from '../../state/run-labels.ts';
import { selectActiveRunId, selectMemoryRunId, selectReadyToTrain, selectRun } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { useLabHandle } from '../common/lab-context.ts';
import { FirstBatchForecast } from './FirstBatchForecast.tsx';
import { EvictedRuns } from './EvictedRuns.tsx';
import { InterruptedRuns } from './InterruptedRuns.tsx';
import { MemoryReadout } from './MemoryReadout.tsx';
import { MemoryRefusal } from './MemoryRefusal.tsx';
import { QueueStatus } from './QueueStatus.tsx';
import { RunProgress } from './RunProgress.tsx';
import styles from './Training.module.css';

/** Start, stop, "run all four regimes", and the active run's progress. */
export function TrainingPanel() {
  const { commands } = useLabHandle();
  const activeRunId = useLab(selectActiveRunId);
  const activeRun = useLab(selectRun(activeRunId));
  const memoryRunId = useLab(selectMemoryRunId);
  const ready = useLab(selectReadyToTrain);
  const hasData = useLab((s) => s.dataset.status === 'loaded');
  const hasWeights = useLab((s) => s.weights.status === 'loaded');
  const regime = useLab((s) => s.config.train.regime);
  const memoryRun = useLab(selectRun(memoryRunId));
  const backend = useLab((s) => s.backend.info?.backend ?? null);
  const missing = [!hasData && 'a dataset', !hasWeights && 'weights'].filter(Boolean).join(' and ');
  // Another tab holds the lab: this one trains nothing (see OtherTabBanner).
  const heldElsewhere = useLab((s) => s.storage.heldElsewhere !== null);
  const busy = activeRunId !== null || heldElsewhere;
  return (
    <Card id="training" title="4 · Train">
      <div className={styles.controls}>
        <button
          type="button"
          className="primary"
          data-testid="start"
          disabled={!ready || activeRunId !== null}
          onClick={() => commands.startRun()}
        >
          Start: {REGIMES[regime].label}
        </button>
        <button
          type="button"
          data-testid="stop"
          disabled={!activeRunId || activeRun?.status === 'stopping'}
          onClick={() => activeRunId && commands.stopRun(activeRunId)}
        >
          {activeRun?.status === 'stopping' ? 'Stopping after this batch…' : 'Stop'}
        </button>
        <button type="button" data-testid="run-all" disabled={!ready || activeRunId !== null} onClick={() => commands.runAllRegimes()}>
          Run all four regimes
        </button>
      </div>
      <MemoryRefusal busy={busy} />
      <QueueStatus busy={busy} />
      {/* A run the other tab trains reads as interrupted in storage: this tab lists none until it takes over. */}
      {!heldElsewhere && <InterruptedRuns busy={busy} />}
      {!heldElsewhere && <EvictedRuns busy={busy} />}
      {!ready && !activeRunId && !heldElsewhere && <p className={styles.hint}>Load {missing} to start training.</p>}
      {ready && !activeRunId && (
        <p className={styles.hint}>Each run keeps its settings; compare them below. Same seed, same data order for every regime.</p>
      )}
      {ready && !activeRunId && <FirstBatchForecast />}
      {activeRun && (
        <div aria-live="polite">
          <p className={styles.runName}>{runLabel(activeRun)}</p>
          <RunProgress run={activeRun} />
        </div>
      )}
      {memoryRun && <MemoryReadout run={memoryRun} backend={backend} />}
    </Card>
  );
}
