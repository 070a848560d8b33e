import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BEST_EPOCH_RULE, FINAL_ACCURACY_LABEL, runFigures } from '../../src/shared/best-epoch.ts';
import type { EpochMetrics, TrainConfig } from '../../src/shared/types.ts';
import { REGIME_IDS, REGIMES, RESNET_BLOCKS, type BlockLearningRates, type RegimeId, type ResNetBlock } from '../../src/shared/regimes.ts';
import { ratesSummary, runRegimeName } from '../../src/shared/run-naming.ts';
import { DEFAULT_SEED, DEFAULT_TRAIN_CONFIG } from '../../src/shared/train-defaults.ts';
import { DATASET_OPTIONS, loadDatasetArg, withLab, type LabCommand, type LabCommandContext } from './command-context.ts';
import { weightsRequestFor } from './inputs.ts';
import type { OptionTable } from './options.ts';
import { requestId, type LabSession } from './lab-session.ts';

const AUGMENTATIONS = ['hflip', 'rotate', 'perspective'] as const;

function number(ctx: LabCommandContext, name: string, fallback: number): number {
  const raw = ctx.values[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number (got "${String(raw)}")`);
  return value;
}

/**
 * `--lr layer3=0.002,fc=0.02` on top of a regime's rates: block=rate pairs (conv1, bn1, layer1 …
 * layer4, fc; `backbone` sets conv1 … layer4 at once; 0 freezes a block).
 */
export function learningRatesFrom(spec: string | undefined, base: BlockLearningRates): BlockLearningRates {
  const rates = { ...base };
  if (spec === undefined) return rates;
  for (const pair of spec.split(',').filter((p) => p.trim().length > 0)) {
    const [block, value] = pair.split('=').map((s) => s.trim());
    const lr = value === undefined || value === '' ? NaN : Number(value);
    const known = block === 'backbone' || (RESNET_BLOCKS as readonly string[]).includes(block ?? '');
    if (!known || !Number.isFinite(lr) || lr < 0 || lr > 10)
      throw new Error(`--lr takes block=rate pairs, rates from 0 to 10, blocks ${RESNET_BLOCKS.join(', ')} or backbone (got "${pair}")`);
    const blocks: readonly ResNetBlock[] = block === 'backbone' ? RESNET_BLOCKS.filter((b) => b !== 'fc') : [block as ResNetBlock];
    for (const b of blocks) rates[b] = lr;
  }
  return rates;
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
    learningRates: learningRatesFrom(typeof ctx.values.lr === 'string' ? ctx.values.lr : undefined, REGIMES[regime].learningRates),
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
  /** What the run trained, by its rates: "Full fine-tune (custom rates)". */
  readonly name: string;
  /** Its learning rates, compact: "backbone 0.001 · fc 0.01". */
  readonly learningRates: string;
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
export function summarizeRun(config: TrainConfig, epochs: readonly EpochMetrics[], seconds: number, reason: string): RunSummary {
  const f = runFigures(epochs);
  return {
    regime: config.regime,
    name: runRegimeName(config).label,
    learningRates: ratesSummary(config.learningRates),
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
    'regime           best val acc  epoch  final val acc  time (s)  ended      learning rates',
    ...results.map(
      (r) =>
        `${r.regime.padEnd(16)} ${pct(r.bestAccuracy).padStart(12)}  ${String(r.bestEpoch).padStart(5)}  ${pct(r.finalAccuracy).padStart(13)}  ${r.seconds.toFixed(1).padStart(8)}  ${r.reason.padEnd(9)}  ${r.name === REGIMES[r.regime].label ? '' : `${r.name}: `}${r.learningRates}`,
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
  return summarizeRun(config, epochs, totalMs / 1000, reason);
}

/** What defines a run on the command line: `train` and `export-pytorch` take the same. */
export const RUN_OPTIONS = {
  regime: {
    type: 'string',
    value: `${REGIME_IDS.join('|')}|all`,
    default: 'discriminative',
    description: "the seed study's regime: its learning rates per block (all: the four, one after another)",
  },
  lr: {
    type: 'string',
    value: 'BLOCK=RATE,…',
    description:
      "learning rates over the regime's, e.g. layer3=0.002,fc=0.02 (blocks conv1, bn1, layer1–layer4, fc, or backbone; 0 freezes)",
  },
  epochs: { type: 'string', value: 'N', fallback: String(DEFAULT_TRAIN_CONFIG.epochs), description: 'epochs to train' },
  batch: { type: 'string', value: 'B', fallback: String(DEFAULT_TRAIN_CONFIG.batchSize), description: 'batch size' },
  size: {
    type: 'string',
    value: 'PX',
    fallback: String(DEFAULT_TRAIN_CONFIG.inputSize),
    description: 'input side: images are resized to PX x PX',
  },
  aug: { type: 'string', value: AUGMENTATIONS.join(','), fallback: 'none', description: "augmentations, with the seed study's settings" },
  ...DATASET_OPTIONS,
  patience: {
    type: 'string',
    value: 'P',
    fallback: 'off',
    description: 'stop after P epochs without a lower validation loss, keeping the best epoch',
  },
  'class-weighted': { type: 'boolean', description: 'weight the loss by inverse class frequency' },
  'exact-seed': {
    type: 'boolean',
    description: 'linear probe: run the backbone every step in training mode, as the seed study did, instead of caching features',
  },
  weights: {
    type: 'string',
    value: 'FILE|DIR',
    fallback: 'a seeded random init, not pretrained',
    description: 'starting weights: .safetensors, .pth/.pt or a TensorFlow.js folder',
  },
} as const satisfies OptionTable;

export const trainCommand: LabCommand = {
  usage: 'train <dataset.zip|.csv|folder|demo>',
  summary: 'train one regime (or all four) on a dataset and print one JSON line per epoch, then a table',
  options: {
    ...RUN_OPTIONS,
    export: { type: 'string', value: 'DIR', description: 'write each run as tfjs/, safetensors/, onnx/ and metrics/ under DIR/<regime>' },
    batches: { type: 'boolean', description: 'also print one JSON line per batch' },
  },
  async run(ctx) {
    const dataset = ctx.positionals[0];
    if (!dataset)
      throw new Error('Usage: npm run lab -- train <dataset.zip|.csv|folder|demo> [options] (npm run lab -- train --help lists them)');
    const regime = String(ctx.values.regime);
    const regimes: RegimeId[] = regime === 'all' ? [...REGIME_IDS] : REGIME_IDS.includes(regime as RegimeId) ? [regime as RegimeId] : [];
    if (regimes.length === 0) throw new Error(`--regime must be one of ${REGIME_IDS.join(', ')} or all (got "${regime}")`);
    const configs = regimes.map((r) => configFromArgs(ctx, r));
    await withLab(ctx, async (lab) => {
      const summary = await loadDatasetArg(lab, ctx, dataset, configs[0]?.seed ?? DEFAULT_SEED);
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
