import type { BackendName } from '../../shared/types.ts';
import type { Run } from '../../state/types.ts';
import { formatBytes } from '../common/format.ts';
import styles from './Training.module.css';

/**
 * The worker's `tf.memory()` after a run's latest epoch: a count that grows epoch after epoch is a
 * leak. "GPU" only on GPU backends; on WASM and CPU the tensors live in ordinary memory.
 */
export function MemoryReadout({ run, backend }: { run: Run; backend: BackendName | null }) {
  const { memory } = run;
  const epoch = run.epochs[run.epochs.length - 1]?.epoch;
  if (!memory || epoch === undefined) return null;
  const what = backend === 'webgpu' || backend === 'webgl' ? 'GPU tensors' : 'Tensors';
  return (
    <p className={styles.memory} data-testid="memory" title="tf.memory() in the training worker, after the epoch's validation">
      {what}: {memory.numTensors.toLocaleString()} ({formatBytes(memory.numBytes)}) after epoch {epoch} of Run {run.number}
    </p>
  );
}
