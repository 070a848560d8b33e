import { useState } from 'react';
import type { ExportFormat } from '../../shared/protocol.ts';
import { isFinished } from '../../state/run-labels.ts';
import { selectFocusedRunId, selectRun } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { downloadExport } from '../common/download.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { RunPicker } from '../common/RunPicker.tsx';
import { holdForExport } from '../../client/leave-guard.ts';
import { PytorchPanel } from './PytorchPanel.tsx';
import styles from './Export.module.css';

const FORMATS: readonly { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'tfjs', label: 'TensorFlow.js (zip)', hint: 'model.json + weights, with the preprocessing written down' },
  { format: 'safetensors', label: '.safetensors', hint: 'torchvision parameter names, loads in PyTorch' },
  { format: 'onnx', label: 'ONNX (.onnx)', hint: 'opset 17, NCHW input; the preprocessing in its metadata' },
  { format: 'metrics', label: 'Metrics (CSV + JSON)', hint: 'every batch and epoch, and the config' },
];

/** Downloads a finished run's model (TensorFlow.js zip, safetensors or ONNX) or its metrics. */
export function ExportPanel() {
  const { commands } = useLabHandle();
  const runId = useLab(selectFocusedRunId);
  const run = useLab(selectRun(runId));
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const ready = run && isFinished(run) && run.epochs.length > 0 ? run : undefined;
  const exportAs = (format: ExportFormat) => {
    if (!ready) return;
    setBusy(format);
    const release = holdForExport();
    const base = `run-${ready.number}-${ready.config.regime}`;
    commands
      .exportRun(ready.id, format)
      .then((files) => downloadExport(files, format === 'tfjs' ? `${base}-tfjs.zip` : undefined))
      .catch(() => undefined)
      .finally(() => {
        release();
        setBusy(null);
      });
  };
  return (
    <Card id="export" title="Export">
      <RunPicker label="Run to export" />
      {run && !ready && <p className={styles.hint}>Exports are available once the run has ended with at least one epoch.</p>}
      <ul className={styles.list}>
        {FORMATS.map((f) => (
          <li key={f.format}>
            <button type="button" data-testid={`export-${f.format}`} disabled={!ready || busy !== null} onClick={() => exportAs(f.format)}>
              {busy === f.format ? 'Preparing…' : f.label}
            </button>
            <span className={styles.hint}>{f.hint}</span>
          </li>
        ))}
      </ul>
      <PytorchPanel run={ready} />
      {busy && <ProgressBar label={`Preparing the ${FORMATS.find((f) => f.format === busy)?.label ?? busy} export…`} value={null} />}
    </Card>
  );
}
