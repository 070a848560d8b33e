import { useShallow } from 'zustand/react/shallow';
import { CHECKPOINT_EVICTED } from '../../shared/fault-messages.ts';
import type { ResumePoint } from '../../shared/types.ts';
import { runLabel } from '../../state/run-labels.ts';
import { useLab } from '../../state/store.ts';
import type { Run } from '../../state/types.ts';
import { formatDuration } from '../common/format.ts';
import { useLabHandle } from '../common/lab-context.ts';
import styles from './Training.module.css';

/** "epoch 2, batch 41" (the next batch to train) for a checkpoint, or "epoch 3" at an epoch's end. */
function nextStep(at: ResumePoint): string {
  return at.batch > 0 ? `batch ${at.batch + 1} of epoch ${at.epoch + 1}` : `epoch ${at.epoch + 1}`;
}

/** What an interrupted run can do: where Resume continues, or why it can only start again. */
export function interruptedText(run: Pick<Run, 'epochs' | 'config' | 'resumeAt'> & { readonly evicted?: boolean }): string {
  const at = `interrupted in epoch ${Math.min(run.epochs.length + 1, run.config.epochs)} of ${run.config.epochs}`;
  const resume = run.resumeAt;
  if (run.evicted && resume === null) return `${at}: ${CHECKPOINT_EVICTED}`;
  if (resume === null) return `${at}: no checkpoint was saved before it stopped, so it cannot resume.`;
  const trained = resume.elapsedMs > 0 ? ` (${formatDuration(resume.elapsedMs)} of training kept)` : '';
  return `${at}. Resume continues with ${nextStep(resume)}${trained}, exactly as if it had not stopped.`;
}

/** Starting again deletes the run's checkpoint: with one that Resume could use, the person confirms first. */
function confirmRestart(run: Run): boolean {
  if (!run.resumeAt) return true;
  return window.confirm(
    `Start ${runLabel(run)} again from its first batch? Its checkpoint (${formatDuration(run.resumeAt.elapsedMs)} of training) is deleted; Resume would continue from it.`,
  );
}

/** Runs the page or the worker lost while they trained: Resume where a checkpoint allows, and Start again. */
export function InterruptedRuns({ busy }: { busy: boolean }) {
  const { commands } = useLabHandle();
  const runs = useLab(useShallow((s) => s.runOrder.map((id) => s.runs[id]).filter((r): r is Run => r?.status === 'interrupted')));
  // After a lost GPU device, on another backend than WASM: the run can go on on the CPU.
  const offerWasm = useLab((s) => s.backend.deviceLost !== undefined && s.backend.info?.backend !== 'wasm');
  if (runs.length === 0) return null;
  return (
    <ul className={styles.interrupted} data-testid="interrupted-runs">
      {runs.map((run) => (
        <li key={run.id} data-testid={`interrupted-${run.number}`}>
          <strong>{runLabel(run)}</strong> {interruptedText(run)}
          {run.error && <span className={styles.hint}> ({run.error})</span>}{' '}
          {run.resumeAt && (
            <button
              type="button"
              className="primary"
              data-testid={`resume-${run.number}`}
              disabled={busy}
              onClick={() => commands.resumeRun(run.id)}
            >
              Resume
            </button>
          )}{' '}
          {run.resumeAt && offerWasm && (
            <button
              type="button"
              className="primary"
              data-testid={`resume-wasm-${run.number}`}
              disabled={busy}
              onClick={() => void commands.resumeRunOn(run.id, 'wasm')}
            >
              Resume on WASM
            </button>
          )}{' '}
          {/* Also beside Resume: a checkpoint this build refuses (its message says why) still leaves a way on. */}
          <button
            type="button"
            data-testid={`restart-${run.number}`}
            disabled={busy}
            onClick={() => confirmRestart(run) && commands.restartRun(run.id)}
          >
            Start again with the same settings
          </button>
        </li>
      ))}
    </ul>
  );
}
