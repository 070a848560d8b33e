/**
 * Reading a run's results file back into the lab: `metrics.json` as train.py writes it (or as the
 * lab's own metrics export writes it). Everything is checked, so a wrong or damaged file gets a
 * message that names what is wrong instead of a run with holes in it.
 */
import { bestEpochOf } from '../shared/best-epoch.ts';
import { REGIME_IDS, RESNET_BLOCKS } from '../shared/regimes.ts';
import type { BatchMetrics, EpochMetrics, TrainConfig } from '../shared/types.ts';

/** How an imported run ended (the lab's own words). */
export type ImportedReason = 'completed' | 'stopped' | 'early-stopped';

/** A run trained elsewhere, ready to be shown beside the browser's runs. */
export interface ImportedRun {
  readonly classes: readonly string[];
  readonly config: TrainConfig;
  readonly history: readonly EpochMetrics[];
  readonly batches: readonly BatchMetrics[];
  readonly bestEpoch: number;
  readonly reason: ImportedReason;
  readonly totalMs: number;
  /** "trained in PyTorch 2.4.0 on 8 × NVIDIA H100 (nccl)", or where the file came from. */
  readonly origin: string;
  /** Images per split and class that the run trained and validated on. */
  readonly counts: Readonly<Record<'train' | 'validation' | 'test', readonly number[]>> | null;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function fail(file: string, what: string): never {
  throw new Error(`${file} is not a run the lab can import: ${what}. Pick the metrics.json that train.py (or a lab export) wrote.`);
}

function epochMetrics(file: string, value: unknown, index: number, classCount: number): EpochMetrics {
  if (!isObject(value)) fail(file, `history[${index}] is not an object`);
  const numbers = ['epoch', 'trainLoss', 'trainAccuracy', 'validationLoss', 'validationAccuracy', 'learningRateScale', 'trainMs', 'wallMs'];
  for (const key of numbers) if (!finite(value[key])) fail(file, `history[${index}].${key} is not a finite number`);
  const confusion = value.confusion;
  if (
    !Array.isArray(confusion) ||
    confusion.length !== classCount ||
    !confusion.every((row) => Array.isArray(row) && row.length === classCount && row.every(finite))
  )
    fail(file, `history[${index}].confusion is not a ${classCount}×${classCount} matrix of counts`);
  const perClass = value.perClassAccuracy;
  if (!Array.isArray(perClass) || perClass.length !== classCount || !perClass.every(finite))
    fail(file, `history[${index}].perClassAccuracy does not have one number per class`);
  return value as unknown as EpochMetrics;
}

function trainConfig(file: string, value: unknown): TrainConfig {
  if (!isObject(value)) fail(file, 'training.config is missing');
  if (!REGIME_IDS.includes(value.regime as never))
    fail(file, `training.config.regime "${String(value.regime)}" is not one of ${REGIME_IDS.join(', ')}`);
  const rates = value.learningRates;
  if (!isObject(rates) || !RESNET_BLOCKS.every((b) => finite(rates[b]))) fail(file, 'training.config.learningRates lacks a rate per block');
  for (const key of ['momentum', 'batchSize', 'epochs', 'inputSize', 'seed'])
    if (!finite(value[key])) fail(file, `training.config.${key} is not a number`);
  return value as unknown as TrainConfig;
}

function originOf(value: unknown, file: string): string {
  if (!isObject(value)) return `imported from ${file}`;
  const parts = [`trained in ${String(value.framework ?? 'PyTorch')} on ${String(value.device ?? 'an unknown device')}`];
  if (typeof value.backend === 'string' && value.backend !== 'single process') parts.push(`(${value.backend})`);
  if (finite(value.nodes) && value.nodes > 1) parts.push(`across ${value.nodes} nodes`);
  return parts.join(' ');
}

/** Parses and checks a run's metrics JSON; `file` names it in error messages. */
export function parseImportedRun(text: string, file: string): ImportedRun {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    fail(file, `it is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isObject(json)) fail(file, 'it is not a JSON object');
  const classes = json.classes;
  if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c) => typeof c === 'string')) fail(file, 'it lists no classes');
  const training = isObject(json.training) ? json.training : {};
  const config = trainConfig(file, training.config);
  if (!Array.isArray(json.history) || json.history.length === 0) fail(file, 'it has no finished epoch (history is empty)');
  const history = json.history.map((m, i) => epochMetrics(file, m, i, classes.length));
  const batches = Array.isArray(json.batches)
    ? (json.batches.filter((b) => isObject(b) && finite(b.loss) && finite(b.epoch)) as unknown as BatchMetrics[])
    : [];
  const reason: ImportedReason = json.reason === 'early-stopped' || json.reason === 'stopped' ? json.reason : 'completed';
  const dataset = isObject(json.dataset) && isObject(json.dataset.counts) ? (json.dataset.counts as ImportedRun['counts']) : null;
  return {
    classes: classes as string[],
    config,
    history,
    batches,
    // The lab's one rule, whatever the file says (an older train.py took the best accuracy's value).
    bestEpoch: bestEpochOf(history),
    reason,
    totalMs: finite(json.totalMs) ? json.totalMs : history.reduce((sum, m) => sum + m.wallMs, 0),
    origin: originOf(json.trainedIn, file),
    counts: dataset,
  };
}
