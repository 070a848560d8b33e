import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BEST_EPOCH_RULE, FINAL_ACCURACY_LABEL, runFigures } from '../../src/shared/best-epoch.ts';
import type { EpochMetrics, TrainConfig } from '../../src/shared/types.ts';
import { REGIME_IDS, REGIMES, type RegimeId } from '../../src/shared/regimes.ts';
import { DEFAULT_DATASET_OPTIONS, DEFAULT_SEED, DEFAULT_TRAIN_CONFIG } from '../../src/shared/train-defaults.ts';
import { DATASET_OPTIONS, importInto, withLab, type LabCommand, type LabCommandContext } from './command-context.ts';
import { weightsRequestFor } from './inputs.ts';
import { requestId, type LabSession } from './lab-session.ts';

const AUGMENTATIONS = ['hflip', 'rotate', 'perspective'] as const;

function number(ctx: LabCommandContext, name: string, fallback: number): number {
  const raw = ctx.values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number (got "${String(raw)}")`);
  return value;
}

/** The TrainConfig for one regime from the command line, on top of the seed study's defaults. */
export function configFromArgs(ctx: LabCommandContext, regime: RegimeId): TrainConfig {
  const aug = String(ctx.values.aug ?? '')
    .split(',')
    .filter((a) => a.length > 0);
  const unknown = aug.filter((a) => !(AUGMENTATIONS as readonly string[]).includes(a));
  if (unknown.length > 0) throw new Error(`--aug takes ${AUGMENTATIONS.join(',')} (got ${unknown.join(',')})`);
  const d = DEFAULT_TRAIN_CONFIG;
  return {
    ...d,
    regime,
    learningRates: { ...REGIMES[regime].learningRates },
    epochs: number(ctx, 'epochs', d.epochs),
    batchSize: number(ctx, 'batch', d.batchSize),
    inputSize: number(ctx, 'size', d.inputSize),
    seed: number(ctx, 'seed', d.seed),
    exactSeedBehaviour: ctx.values['exact-seed'] === true,
    earlyStoppingPatience: number(ctx, 'patience', 0),
    classWeighted: ctx.values['class-weighted'] === true,
    augment: {
      hflip: { ...d.augment.hflip, enabled: aug.includes('hflip') },
      rotate: { ...d.augment.rotate, enabled: aug.includes('rotate') },
      perspective: { ...d.augment.perspective, enabled: aug.includes('perspective') },
    },
  };
}

/** One run in the `summary` line and the table: "best" by the one rule (shared/best-epoch.ts), and the final epoch. */
export interface RunSummary {
  readonly regime: RegimeId;
  /** Validation accuracy at the best epoch (lowest validation loss). */
  readonly bestAccuracy: number;
  readonly bestEpoch: number;
  readonly bestValidationLoss: number;
  /** Validation accuracy after the last epoch: the figure the seed study reports. */
  readonly finalAccuracy: number;
  readonly finalEpoch: number;
  readonly seconds: number;
  readonly reason: string;
}

/** A finished run's summary from its epochs. */
export function summarizeRun(regime: RegimeId, epochs: readonly EpochMetrics[], seconds: number, reason: string): RunSummary {
  const f = runFigures(epochs);
  return {
    regime,
    bestAccuracy: f?.bestValidationAccuracy ?? 0,
    bestEpoch: f?.bestEpoch ?? 0,
    bestValidationLoss: f?.bestValidationLoss ?? NaN,
    finalAccuracy: f?.finalValidationAccuracy ?? 0,
    finalEpoch: f?.finalEpoch ?? 0,
    seconds,
    reason,
  };
}

/** The table that ends `lab train`'s output, like the seed study's, with both figures labelled. */
export function summaryTable(results: readonly RunSummary[]): string {
  const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
  return [
    '',
    `best = the epoch with the ${BEST_EPOCH_RULE} (what early stopping and the kept checkpoint use); final = ${FINAL_ACCURACY_LABEL}`,
    'regime           best val acc  epoch  final val acc  time (s)  ended',
    ...results.map(
      (r) =>
        `${r.regime.padEnd(16)} ${pct(r.bestAccuracy).padStart(12)}  ${String(r.bestEpoch).padStart(5)}  ${pct(r.finalAccuracy).padStart(13)}  ${r.seconds.toFixed(1).padStart(8)}  ${r.reason}`,
    ),
  ].join('\n');
}

/** Trains one regime through the worker, printing one JSON line per epoch. */
async function trainOne(lab: LabSession, ctx: LabCommandContext, config: TrainConfig, index: number): Promise<RunSummary> {
  const runId = `cli-run-${index}-${config.regime}`;
  const epochs: EpochMetrics[] = [];
  const finished = new Promise<{ reason: string; totalMs: number }>((resolvePromise, reject) => {
    lab.onEvent((event) => {
      if (event.runId !== runId) return;
      if (event.type === 'train/batchEnded' && ctx.values.batches === true)
        ctx.print({ type: 'batch', runId, regime: config.regime, ...(event.metrics as object) });
      else if (event.type === 'train/epochEnded') {
        const metrics = event.metrics as EpochMetrics;
        epochs.push(metrics);
        const { confusion: _c, ...rest } = metrics;
        ctx.print({ type: 'epoch', runId, regime: config.regime, ...rest, memory: event.memory });
        ctx.say(
          `${config.regime} epoch ${metrics.epoch}: val acc ${(100 * metrics.validationAccuracy).toFixed(2)}%, loss ${metrics.validationLoss.toFixed(4)}, ${(metrics.wallMs / 1000).toFixed(1)} s`,
        );
      } else if (event.type === 'train/finished') resolvePromise({ reason: event.reason as string, totalMs: event.totalMs as number });
      else if (event.type === 'error') reject(new Error(`${config.regime}: ${event.message as string}`));
    });
  });
  await lab.send({ type: 'train/start', runId, config });
  const { reason, totalMs } = await finished;
  const exportDir = ctx.values.export;
  if (typeof exportDir === 'string') {
    for (const format of ['tfjs', 'safetensors', 'onnx', 'metrics'] as const) {
      const dir = join(resolve(exportDir), `${config.regime}`, format);
      mkdirSync(dir, { recursive: true });
      lab.setOutputDir(dir);
      await lab.request({ type: 'export/run', requestId: requestId(), runId, format });
    }
    ctx.say(`exported ${config.regime} to ${join(resolve(exportDir), config.regime)}`);
  }
  return summarizeRun(config.regime, epochs, totalMs / 1000, reason);
}

/** What defines a run on the command line: `train` and `export-pytorch` take the same. */
export const RUN_OPTIONS = {
  regime: { type: 'string', default: 'discriminative' },
  epochs: { type: 'string' },
  batch: { type: 'string' },
  size: { type: 'string' },
  aug: { type: 'string' },
  ...DATASET_OPTIONS,
  patience: { type: 'string' },
  'class-weighted': { type: 'boolean' },
  'exact-seed': { type: 'boolean' },
  weights: { type: 'string' },
} as const;

export const trainCommand: LabCommand = {
  summary: 'train one regime (or all four) on a dataset and print one JSON line per epoch, then a table',
  options: {
    ...RUN_OPTIONS,
    export: { type: 'string' },
    batches: { type: 'boolean' },
  },
  async run(ctx) {
    const dataset = ctx.positionals[0];
    if (!dataset)
      throw new Error(
        'Usage: npm run lab -- train <dataset.zip|.csv|folder|demo> --regime linear|finetune|discriminative|frozen-lower|all [options]',
      );
    const regime = String(ctx.values.regime);
    const regimes: RegimeId[] = regime === 'all' ? [...REGIME_IDS] : REGIME_IDS.includes(regime as RegimeId) ? [regime as RegimeId] : [];
    if (regimes.length === 0) throw new Error(`--regime must be one of ${REGIME_IDS.join(', ')} or all (got "${regime}")`);
    const configs = regimes.map((r) => configFromArgs(ctx, r));
    await withLab(ctx, async (lab) => {
      const summary =
        dataset === 'demo'
          ? (
              await lab.request({
                type: 'dataset/load',
                requestId: requestId(),
                source: { kind: 'demo' },
                options: { ...DEFAULT_DATASET_OPTIONS, seed: configs[0]?.seed ?? DEFAULT_SEED },
              })
            ).summary
          : await importInto(lab, ctx, dataset);
      ctx.say(`dataset: ${summary.classes.length} classes; backend ${lab.backend.backend} (${lab.backend.adapter})`);
      await loadWeightsFor(lab, ctx, summary.classes.length);
      const results: RunSummary[] = [];
      for (const [i, config] of configs.entries()) results.push(await trainOne(lab, ctx, config, i));
      ctx.print({ type: 'summary', backend: lab.backend.backend, runs: results });
      ctx.say(summaryTable(results));
    });
  },
};

/**
 * `--weights file.safetensors|file.pth|dir` loads those; otherwise a seeded random init (labelled,
 * not pretrained). With the dataset's class count, says when runs replace the file's fc.
 */
export async function loadWeightsFor(lab: LabSession, ctx: LabCommandContext, datasetClasses?: number): Promise<void> {
  const request = weightsRequestFor(
    typeof ctx.values.weights === 'string' ? ctx.values.weights : null,
    lab.server,
    Number(ctx.values.seed ?? DEFAULT_SEED),
  );
  const reply = await lab.request({ type: 'weights/load', requestId: requestId(), request });
  ctx.say(`weights: ${reply.info.label}`);
  for (const note of reply.info.notes ?? []) ctx.say(`  ${note}`);
  const fc = reply.info.fcClasses;
  if (fc && datasetClasses !== undefined && fc !== datasetClasses)
    ctx.say(`  the file's fc has ${fc} classes and the dataset ${datasetClasses}: each run gets a new ${datasetClasses}-way head`);
}
