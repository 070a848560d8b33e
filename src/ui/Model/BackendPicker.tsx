import { selectIsTraining } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { BACKEND_NAMES, type BackendName } from '../../shared/types.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { describeIsolation } from './isolation-description.ts';
import styles from './Model.module.css';

const LABELS: Record<BackendName | 'auto', string> = {
  auto: 'Automatic',
  webgpu: 'WebGPU',
  wasm: 'WASM (CPU, threads + SIMD)',
  webgl: 'WebGL',
  cpu: 'Plain JavaScript (slow)',
};

/** Re-chooses the compute backend (`backend/init`) and says why the automatic choice was made. */
export function BackendPicker() {
  const { commands } = useLabHandle();
  const backend = useLab((s) => s.backend);
  const training = useLab(selectIsTraining);
  const isolation = useLab((s) => s.isolation);
  const available = backend.info?.available ?? [];
  return (
    <div className={styles.field}>
      <label htmlFor="backend-select">Compute backend</label>
      <select
        id="backend-select"
        value={backend.preferred}
        disabled={backend.status === 'loading' || training}
        onChange={(e) => commands.initBackend(e.target.value as BackendName | 'auto')}
      >
        {(['auto', ...BACKEND_NAMES] as const).map((name) => (
          <option key={name} value={name}>
            {LABELS[name]}
            {name !== 'auto' && backend.info && !available.includes(name) ? ' — unavailable here' : ''}
          </option>
        ))}
      </select>
      {backend.info && (
        <p className={styles.hint}>
          {backend.info.reason}
          {backend.info.threads !== null && (
            <span data-testid="wasm-threads">
              {' '}
              · {backend.info.threads} WASM thread{backend.info.threads === 1 ? '' : 's'}
            </span>
          )}{' '}
          · TensorFlow.js {backend.info.tfjs}
        </p>
      )}
      <p className={styles.hint} data-testid="isolation" data-isolation={isolation?.by ?? 'unknown'}>
        {describeIsolation(isolation)}
      </p>
    </div>
  );
}
