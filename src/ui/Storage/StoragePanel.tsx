import { useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { STORAGE_NOT_PERSISTENT } from '../../shared/fault-messages.ts';
import { runLabel } from '../../state/run-labels.ts';
import { selectActiveRunId } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { downloadExport } from '../common/download.ts';
import { formatBytes } from '../common/format.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { CheckpointSettings } from './CheckpointSettings.tsx';
import styles from './Storage.module.css';

/** What the lab keeps in this browser, the quota, the checkpoint settings and their cost, forget buttons, lab file export/import. */
export function StoragePanel() {
  const { storage } = useLabHandle();
  const state = useLab((s) => s.storage);
  const activeRunId = useLab(selectActiveRunId);
  const runs = useLab(useShallow((s) => s.runOrder.map((id) => s.runs[id]).filter((r) => r !== undefined)));
  const [note, setNote] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const info = state.info;
  const exportLab = () =>
    storage.exportLab().then(
      (files) => downloadExport(files),
      (err: Error) => setNote(err.message),
    );
  const importLab = (file: File | undefined) => {
    if (!file) return;
    setNote(null);
    void file
      .arrayBuffer()
      .then((data) => storage.importLab(data))
      .then(
        () => setNote(`Imported the runs of ${file.name}.`),
        (err: Error) => setNote(err.message),
      );
  };
  return (
    <Card id="storage" title="Saved in this browser">
      {!state.open && <p className={styles.hint}>Opening the saved lab…</p>}
      {info && (
        <p className={styles.summary} data-testid="storage-summary">
          Dataset {formatBytes(info.datasetBytes)} · checkpoints {formatBytes(info.checkpointBytes)} · {info.runs} run
          {info.runs === 1 ? '' : 's'}
          {info.usage !== null && info.quota !== null && ` · this site uses ${formatBytes(info.usage)} of ${formatBytes(info.quota)}`}
        </p>
      )}
      {state.persisted !== null && (
        <p className={styles.hint} data-testid="storage-persistence">
          Storage: {state.persisted ? 'persistent (the browser keeps the lab until you delete it)' : STORAGE_NOT_PERSISTENT}
        </p>
      )}
      {state.error && <p className={styles.error}>{state.error}</p>}
      <CheckpointSettings />
      <div className={styles.row}>
        <button type="button" data-testid="forget-dataset" onClick={() => void storage.forget({ kind: 'dataset' })}>
          Forget dataset
        </button>
        <button type="button" data-testid="forget-weights" onClick={() => void storage.forget({ kind: 'weights' })}>
          Forget cached weights
        </button>
        <button type="button" data-testid="export-lab" disabled={runs.length === 0} onClick={() => void exportLab()}>
          Export lab
        </button>
        <button type="button" data-testid="import-lab" onClick={() => fileInput.current?.click()}>
          Import lab…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".zip"
          hidden
          data-testid="import-lab-file"
          onChange={(e) => importLab(e.target.files?.[0])}
        />
      </div>
      {note && <p className={styles.hint}>{note}</p>}
      {runs.length > 0 && (
        <ul className={styles.runs}>
          {runs.map((run) => (
            <li key={run.id}>
              {runLabel(run)}
              {run.imported && ' (imported)'}{' '}
              <button
                type="button"
                disabled={run.id === activeRunId}
                onClick={() => void storage.forget({ kind: 'checkpoints', runId: run.id })}
              >
                Forget checkpoints
              </button>{' '}
              <button type="button" disabled={run.id === activeRunId} onClick={() => void storage.forget({ kind: 'run', runId: run.id })}>
                Delete run
              </button>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
