import type { JsonSafe } from '../../src/shared/bridge.ts';
import {
  DEFAULT_DATASET_OPTIONS,
  DEFAULT_SEED,
  DEFAULT_VALIDATION_FRACTION,
  MAX_UNCOMPRESSED_BYTES,
} from '../../src/shared/train-defaults.ts';
import { SPLIT_GROUPINGS, type DatasetOptions, type DatasetSummary, type SplitGrouping } from '../../src/shared/types.ts';
import { datasetSourceFor } from './inputs.ts';
import type { OptionTable } from './options.ts';
import { openLabSession, requestId, type LabSession } from './lab-session.ts';
import { activityOfRequest, createActivityFollower } from './activity.ts';
import type { Progress } from './progress.ts';

/** What a `lab` subcommand gets: parsed options, and where to write JSON (stdout) and text (stderr). */
export interface LabCommandContext {
  readonly backend: Parameters<typeof openLabSession>[0]['backend'];
  readonly verbose: boolean;
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
  print(object: unknown): void;
  say(text: string): void;
  /** What the command is doing, on stderr (never silent for more than 10 s; progress.ts). */
  readonly progress: Progress;
}

export interface LabCommand {
  /** What follows `npm run lab --`: "train <dataset> [options]". */
  readonly usage: string;
  readonly summary: string;
  /** Every option the command takes, with its meaning: the parser and --help both read it. */
  readonly options: OptionTable;
  run(context: LabCommandContext): Promise<void>;
}

/**
 * Opens a lab session for the command's backend and always closes it. Each request and the
 * worker's progress events become the command's activity on stderr.
 */
export async function withLab<T>(ctx: LabCommandContext, body: (lab: LabSession) => Promise<T>): Promise<T> {
  ctx.progress.set({ label: 'starting headless Chromium and the lab worker' });
  const lab = await openLabSession({ backend: ctx.backend, verbose: ctx.verbose });
  const follow = createActivityFollower();
  lab.onEvent((event) => {
    const activity = follow(event);
    if (activity) ctx.progress.set(activity);
  });
  const tracked: LabSession = {
    ...lab,
    request: (command) => {
      ctx.progress.set(activityOfRequest(command.type));
      return lab.request(command);
    },
  };
  try {
    return await body(tracked);
  } finally {
    ctx.progress.set({ label: 'closing Chromium' });
    await lab.close();
  }
}

/** Options every command that imports a dataset takes (`lab import`, `lab train`). */
export const DATASET_OPTIONS = {
  'validation-fraction': {
    type: 'string',
    value: 'F',
    fallback: String(DEFAULT_VALIDATION_FRACTION),
    description: 'share of the training images held out for validation when the dataset has no validation split',
  },
  seed: {
    type: 'string',
    value: 'K',
    fallback: String(DEFAULT_SEED),
    description: 'seed of the split, the shuffle, the augmentation and a random init',
  },
  'max-bytes': {
    type: 'string',
    value: 'BYTES',
    fallback: String(MAX_UNCOMPRESSED_BYTES),
    description: 'refuse an archive that expands to more than this',
  },
  'group-by': {
    type: 'string',
    value: 'auto|image|pattern',
    fallback: 'auto',
    description: 'carve validation by subject when file names carry one (auto), per image, or by --group-pattern',
  },
  'group-pattern': {
    type: 'string',
    value: 'REGEX',
    description: 'the capture group names the group an image belongs to (implies --group-by pattern)',
  },
} as const satisfies OptionTable;

/**
 * The import options from the command line: `--group-by auto|image|pattern` (default auto: by
 * subject when file names carry one), `--group-pattern REGEX` (one capture group; implies pattern).
 */
export function datasetOptionsFrom(ctx: LabCommandContext): DatasetOptions {
  const pattern = ctx.values['group-pattern'];
  const by = String(ctx.values['group-by'] ?? (typeof pattern === 'string' ? 'pattern' : 'auto'));
  if (!SPLIT_GROUPINGS.includes(by as SplitGrouping))
    throw new Error(`--group-by must be one of ${SPLIT_GROUPINGS.join(', ')} (got "${by}")`);
  if (by === 'pattern' && typeof pattern !== 'string')
    throw new Error('--group-by pattern needs --group-pattern REGEX (one capture group)');
  return {
    validationFraction: Number(ctx.values['validation-fraction'] ?? DEFAULT_VALIDATION_FRACTION),
    seed: Number(ctx.values.seed ?? DEFAULT_SEED),
    maxUncompressedBytes: Number(ctx.values['max-bytes'] ?? MAX_UNCOMPRESSED_BYTES),
    groupBy: by as SplitGrouping,
    ...(typeof pattern === 'string' ? { groupPattern: pattern } : {}),
  };
}

/** Imports a dataset in the worker and returns its summary (thumbnails reduced to byte counts); progress goes to ctx.progress. */
export async function importInto(lab: LabSession, ctx: LabCommandContext, path: string): Promise<JsonSafe<DatasetSummary>> {
  const reply = await lab.request({
    type: 'dataset/load',
    requestId: requestId(),
    source: datasetSourceFor(path, lab.server),
    options: datasetOptionsFrom(ctx),
  });
  return reply.summary;
}

/** `demo` (the built-in set, split with `seed`) or a dataset file imported with the command's options. */
export async function loadDatasetArg(
  lab: LabSession,
  ctx: LabCommandContext,
  dataset: string,
  seed: number,
): Promise<JsonSafe<DatasetSummary>> {
  if (dataset !== 'demo') return importInto(lab, ctx, dataset);
  const reply = await lab.request({
    type: 'dataset/load',
    requestId: requestId(),
    source: { kind: 'demo' },
    options: { ...DEFAULT_DATASET_OPTIONS, seed },
  });
  return reply.summary;
}
