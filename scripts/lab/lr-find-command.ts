import { REGIME_IDS, type RegimeId } from '../../src/shared/regimes.ts';
import { ratesSummary } from '../../src/shared/run-naming.ts';
import { loadDatasetArg, withLab, type LabCommand } from './command-context.ts';
import { requestId } from './lab-session.ts';
import { configFromArgs, loadWeightsFor, RUN_OPTIONS } from './train-command.ts';

const { epochs: _epochs, patience: _patience, ...SWEEP_RUN_OPTIONS } = RUN_OPTIONS;

function positive(raw: unknown, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got "${String(raw)}")`);
  return value;
}

/** `lab lr-find`: the LR range test of one regime; a JSON line per batch, then the suggestions. */
export const lrFindCommand: LabCommand = {
  usage: 'lr-find <dataset.zip|.csv|folder|demo>',
  summary: "learning-rate range test for a regime (fastai's lr_find): prints the loss per rate and the suggested rates",
  options: {
    ...SWEEP_RUN_OPTIONS,
    start: { type: 'string', value: 'LR', fallback: '1e-7', description: "the largest group's rate at the first batch" },
    end: { type: 'string', value: 'LR', fallback: '10', description: "the largest group's rate at the last batch" },
    steps: { type: 'string', value: 'N', fallback: '100', description: 'batches at most (the sweep stops earlier when the loss diverges)' },
  },
  async run(ctx) {
    const dataset = ctx.positionals[0];
    if (!dataset) throw new Error('Usage: npm run lab -- lr-find <dataset.zip|.csv|folder|demo> --regime R [options] (--help lists them)');
    const regime = String(ctx.values.regime);
    if (!REGIME_IDS.includes(regime as RegimeId)) throw new Error(`--regime must be one of ${REGIME_IDS.join(', ')} (got "${regime}")`);
    const config = configFromArgs(ctx, regime as RegimeId);
    const sweep = {
      startLr: positive(ctx.values.start, 'start', 1e-7),
      endLr: positive(ctx.values.end, 'end', 10),
      maxSteps: positive(ctx.values.steps, 'steps', 100),
    };
    await withLab(ctx, async (lab) => {
      const summary = await loadDatasetArg(lab, ctx, dataset, config.seed);
      await loadWeightsFor(lab, ctx, summary.classes.length);
      ctx.say(
        `sweeping ${regime} (${ratesSummary(config.learningRates)}): ${sweep.startLr} → ${sweep.endLr} over at most ${sweep.maxSteps} batches`,
      );
      const reply = await lab.request({ type: 'lr/find', requestId: requestId(), config, ...sweep });
      for (const point of reply.points) ctx.print({ type: 'point', ...point });
      const { points: _points, requestId: _id, type: _type, ...result } = reply;
      ctx.print({ type: 'suggestion', regime, learningRates: config.learningRates, ...result });
      const fmt = (lr: number | null) => (lr === null ? '—' : lr.toPrecision(2));
      ctx.say(
        `${reply.points.length} batches (${reply.stoppedBy}); suggested rate of the largest group: steepest ${fmt(reply.steepest)}, minimum/10 ${fmt(reply.minimumTenth)}; ${(reply.ms / 1000).toFixed(1)} s`,
      );
    });
  },
};
