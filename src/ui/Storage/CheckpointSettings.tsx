import { useState } from 'react';
import type { KeepCheckpoints } from '../../shared/types.ts';
import { useLab } from '../../state/store.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { checkpointCost } from './checkpoint-cost.ts';
import styles from './Storage.module.css';

const KEEP: readonly { value: KeepCheckpoints; label: string }[] = [
  { value: 'last-and-best', label: 'last and best (Resume works)' },
  { value: 'best', label: 'best only (no Resume)' },
  { value: 'none', label: 'none (metrics only)' },
];

/** Which checkpoints each run keeps, how often one is written inside an epoch, and what that costs. */
export function CheckpointSettings() {
  const { storage } = useLabHandle();
  const settings = useLab((s) => s.storage.settings);
  const lastWrite = useLab((s) => s.storage.lastWrite);
  const [draft, setDraft] = useState<string | null>(null);
  const minutes = draft ?? String(settings.everyMinutes);
  const value = Number(minutes);
  const invalid = minutes.trim() === '' || !Number.isFinite(value) || value < 0;
  const commit = () => {
    if (!invalid && value !== settings.everyMinutes) storage.setCheckpointSettings({ everyMinutes: value });
    if (!invalid) setDraft(null);
  };
  return (
    <>
      <label className={styles.row}>
        Checkpoints kept per run{' '}
        <select value={settings.keep} onChange={(e) => storage.setCheckpointSettings({ keep: e.target.value as KeepCheckpoints })}>
          {KEEP.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.row}>
        Resumable checkpoint during an epoch at most every{' '}
        <input
          type="number"
          min={0}
          step="any"
          className={styles.minutes}
          data-testid="checkpoint-minutes"
          disabled={settings.keep !== 'last-and-best'}
          value={minutes}
          aria-invalid={invalid}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />{' '}
        min (0: at epoch ends only)
      </label>
      {invalid && <p className={styles.error}>Give the minutes between checkpoints as a number, 0 or more (0.5 is 30 s).</p>}
      <p className={styles.hint} data-testid="checkpoint-cost">
        {checkpointCost(settings, lastWrite)}
      </p>
    </>
  );
}
