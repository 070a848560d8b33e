import { queuedRuns } from '../../state/queue.ts';
import { runLabel } from '../../state/run-labels.ts';
import { useLab } from '../../state/store.ts';
import { useLabHandle } from '../common/lab-context.ts';
import styles from './Training.module.css';

/** "Run all four regimes" while it lasts: what is queued, and whether it waits for the person. */
export function QueueStatus({ busy }: { busy: boolean }) {
  const { commands } = useLabHandle();
  const queue = useLab((s) => s.queue);
  const runs = useLab((s) => s.runs);
  const runCount = useLab((s) => s.runOrder.length);
  if (!queue) return null;
  const current = queue.current ? runs[queue.current.runId] : undefined;
  const queued = queuedRuns(queue, runs, runCount);
  const next = current?.status === 'interrupted' ? `${runLabel(current)} (${current.resumeAt ? 'resumes' : 'starts again'})` : null;
  if (queued.length === 0 && !next) return null;
  return (
    <div className={styles.queue} data-testid="queue" data-waiting={queue.waiting}>
      <span>
        {queue.waiting ? 'Run all four regimes is waiting.' : 'Run all four regimes:'}
        {next && ` Next: ${next}.`}
      </span>
      {queued.length > 0 && (
        <ul className={styles.queued}>
          {queued.map((q) => (
            <li key={q.number} data-testid={`queued-${q.number}`}>
              {q.label} · queued
            </li>
          ))}
        </ul>
      )}
      {queue.waiting && (
        <button type="button" className="primary" data-testid="resume-queue" disabled={busy} onClick={commands.resumeQueue}>
          Resume queue
        </button>
      )}
      <button type="button" data-testid="stop-queue" onClick={commands.stopQueue}>
        Stop queue
      </button>
    </div>
  );
}
