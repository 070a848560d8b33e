import { useState, type ChangeEvent } from 'react';
import { projectFiles } from '../../export-pytorch/project-files.ts';
import { PROJECT_TEMPLATES } from '../../export-pytorch/templates.ts';
import type { ExportFile } from '../../shared/types.ts';
import type { Run } from '../../state/types.ts';
import { downloadExport } from '../common/download.ts';
import { useLabHandle } from '../common/lab-context.ts';
import styles from './Export.module.css';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The worker's data files plus the templates, as one zip (binary files such as starting weights pass through). */
function zipProject(files: readonly ExportFile[], name: string): void {
  const text = files.filter((f) => f.mimeType === 'application/json').map((f) => ({ name: f.name, text: decoder.decode(f.data) }));
  const binary = files.filter((f) => f.mimeType !== 'application/json');
  const all: ExportFile[] = [
    ...projectFiles(PROJECT_TEMPLATES, text).map((f) => ({
      name: f.name,
      mimeType: 'text/plain',
      data: encoder.encode(f.text).buffer as ArrayBuffer,
    })),
    ...binary,
  ];
  downloadExport(
    all.map((f) => ({ ...f, name: `${name}/${f.name}` })),
    `${name}.zip`,
  );
}

/**
 * Scaling out: the focused run as a PyTorch DistributedDataParallel project, and a run trained in
 * PyTorch (its metrics.json, optionally its .safetensors) brought back beside the browser's runs.
 */
export function PytorchPanel({ run }: { run: Run | undefined }) {
  const { commands } = useLabHandle();
  const [busy, setBusy] = useState<'export' | 'import' | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const exportable = run && run.epochs.length > 0 && run.origin === null ? run : undefined;
  const exportProject = () => {
    if (!exportable) return;
    setBusy('export');
    commands
      .exportPytorch(exportable.id, exportable.config)
      .then((files) => zipProject(files, `run-${exportable.number}-${exportable.config.regime}-pytorch`))
      .catch(() => undefined)
      .finally(() => setBusy(null));
  };
  const importRun = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    const metrics = files.find((f) => f.name.toLowerCase().endsWith('.json'));
    const weights = files.find((f) => /\.(safetensors|pth|pt)$/i.test(f.name));
    if (!metrics) return setNote('Pick the metrics.json that train.py wrote (and, to use the model here, a .safetensors or .pth with it).');
    setBusy('import');
    setNote(null);
    try {
      await commands.importRun(
        { name: metrics.name, data: await metrics.arrayBuffer() },
        weights ? { name: weights.name, data: await weights.arrayBuffer() } : null,
      );
      setNote(weights ? null : 'Imported without weights: curves and metrics only. Add its .safetensors (or a .pth) to use it in Try it.');
    } catch {
      // The worker's error arrives as a message with what to do.
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className={styles.pytorch}>
      <h3>Scale out in PyTorch</h3>
      <button type="button" data-testid="export-pytorch" disabled={!exportable || busy !== null} onClick={exportProject}>
        {busy === 'export' ? 'Preparing…' : 'PyTorch project (zip)'}
      </button>
      <span className={styles.hint}>train.py for DistributedDataParallel, this run's settings and split; runs on CPUs, GPUs, clusters</span>
      <label className={styles.importLabel}>
        {busy === 'import' ? 'Importing…' : 'Import a PyTorch run'}
        <input
          type="file"
          multiple
          accept=".json,.safetensors,.pth,.pt"
          data-testid="import-pytorch"
          disabled={busy !== null}
          onChange={(e) => void importRun(e)}
        />
      </label>
      <span className={styles.hint}>metrics.json from train.py's results, with final.safetensors or best.safetensors</span>
      {note && <p className={styles.hint}>{note}</p>}
    </div>
  );
}
