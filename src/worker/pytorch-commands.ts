/** The worker's side of "scale out in PyTorch": a project's data files out, a trained run's results back in. */
import { applyDatasetEdits } from '../data/dataset-edits.ts';
import { projectConfig, projectSplit, type StartingWeights } from '../export-pytorch/project-data.ts';
import { parseImportedRun } from '../export-pytorch/run-format.ts';
import { writeSafetensors } from '../ml/weights/safetensors.ts';
import { readWeightsFile } from '../ml/weights/weights-file.ts';
import type { CommandOf } from '../shared/protocol.ts';
import type { ExportFile } from '../shared/types.ts';
import { newRunRecord } from './runs.ts';
import type { Post, Session } from './session.ts';
import { saveRun } from './persistence.ts';
import { bestEpochOf } from '../shared/best-epoch.ts';
import { buildRunModel, classCountOf } from './weights-commands.ts';

/** JSON files; split.json stays compact (one line) since the full FER2013 lists 35 000 images. */
const jsonFile = (name: string, value: unknown, indent = 0): ExportFile => ({
  name,
  mimeType: 'application/json',
  data: new TextEncoder().encode(JSON.stringify(value, null, indent)).buffer as ArrayBuffer,
});

const IMAGENET_LABEL = "torchvision's ImageNet weights (IMAGENET1K_V1, downloaded by torchvision)";

/** The session's base weights as the script's starting point (a dropped file travels with the project). */
function startingWeights(session: Session, seed: number, imagenet: boolean): { start: StartingWeights; file: ExportFile | null } {
  const weights = session.weights;
  if (imagenet) return { start: { use: 'imagenet', label: IMAGENET_LABEL }, file: null };
  if (!weights || weights.info.source === 'random-init' || !weights.tensors)
    return { start: { use: 'random', label: `torchvision's random initialisation (torch seed ${seed}); NOT pretrained` }, file: null };
  if (weights.info.pretrained) return { start: { use: 'imagenet', label: IMAGENET_LABEL }, file: null };
  const bytes = writeSafetensors(weights.tensors, { format: 'pt' });
  return {
    start: { use: 'start-weights.safetensors', label: `start-weights.safetensors (${weights.info.label})` },
    file: { name: 'start-weights.safetensors', mimeType: 'application/octet-stream', data: bytes.buffer as ArrayBuffer },
  };
}

/** `export/pytorch`: config.json and split.json (and the starting weights when they came from a file). */
export function exportPytorch(command: CommandOf<'export/pytorch'>, session: Session, post: Post): void {
  const run = command.runId === null ? null : session.runs.get(command.runId);
  if (command.runId !== null && !run) throw new Error(`There is no run ${command.runId} in this session.`);
  // A new run's project sees the dataset as the next run would: with the person's edits.
  const dataset = run ? run.dataset : session.dataset && applyDatasetEdits(session.dataset, session.datasetEdits);
  if (!dataset)
    throw new Error(run ? `Run ${run.runId} was trained elsewhere: export its project from where it came from.` : 'Load a dataset first.');
  const config = run?.config ?? command.config;
  const data = { name: dataset.name, format: dataset.summary.format, classes: dataset.classes, splits: dataset.splits };
  const { start, file } = startingWeights(session, config.seed, command.startFrom === 'imagenet');
  const files = [jsonFile('config.json', projectConfig(config, data, start, command.runId), 2), jsonFile('split.json', projectSplit(data))];
  post({ type: 'export/ready', requestId: command.requestId, files: file ? [...files, file] : files });
}

/** `run/import`: a run trained in PyTorch (metrics, and weights when given) joins the session's runs. */
export async function importRun(command: CommandOf<'run/import'>, session: Session, post: Post): Promise<void> {
  const imported = parseImportedRun(new TextDecoder().decode(command.metrics.data), command.metrics.name);
  let model = null;
  if (command.weights) {
    const { tensors } = readWeightsFile(command.weights.name, new Uint8Array(command.weights.data));
    const rows = classCountOf(tensors, 0);
    if (rows !== imported.classes.length)
      throw new Error(
        `${command.weights.name} has a ${rows}-way classifier but ${command.metrics.name} names ${imported.classes.length} classes: pick the weights written by the same run.`,
      );
    const info = { source: 'dropped-file' as const, label: command.weights.name, pretrained: false, parameterCount: 0 };
    model = buildRunModel({ info, tensors, seed: 0, classes: imported.classes }, imported.classes.length, 0);
  }
  const run = newRunRecord({
    runId: command.runId,
    number: session.runs.all().length + 1,
    config: imported.config,
    classes: imported.classes,
    dataset: null,
    datasetKey: '',
    backend: null,
    origin: imported.origin,
    weightsLabel: command.weights ? `${command.weights.name} (${imported.origin})` : imported.origin,
    model,
    status: imported.reason,
    history: [...imported.history],
    bestEpoch: bestEpochOf(imported.history),
  });
  try {
    session.runs.add(run);
  } catch (err) {
    model?.dispose();
    throw err;
  }
  // Its metrics survive a reload (its weights only while this worker holds them).
  await saveRun(session.persistence, run, post);
  post({
    type: 'run/imported',
    requestId: command.requestId,
    runId: command.runId,
    config: imported.config,
    classes: imported.classes,
    epochs: imported.history,
    batches: imported.batches,
    bestEpoch: imported.bestEpoch,
    reason: imported.reason,
    totalMs: imported.totalMs,
    origin: imported.origin,
    hasWeights: model !== null,
    counts: imported.counts,
  });
}
