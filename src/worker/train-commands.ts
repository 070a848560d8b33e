import { trainRun } from '../ml/train/trainer.ts';
import type { CommandOf } from '../shared/protocol.ts';
import type { RunRecord } from './runs.ts';
import type { Post, Session } from './session.ts';
import { buildRunModel } from './weights-commands.ts';

/**
 * Handles `train/start`: builds a fresh model from the session's base weights (seeded random init,
 * labelled as such, when none were loaded), trains it and keeps it for predict/export. A crash
 * marks only this run failed; finished epochs and every other run stay as they were.
 */
export async function startTraining(command: CommandOf<'train/start'>, session: Session, post: Post): Promise<void> {
  const { runId, config } = command;
  const dataset = session.dataset;
  if (!dataset) throw new Error('No dataset is loaded. Drop a dataset or choose the demo dataset before starting a run.');
  if (session.runs.active) throw new Error(`Run ${session.runs.active.runId} is still training; stop it or wait for it to finish.`);
  const weights = session.weights ?? {
    info: {
      source: 'random-init' as const,
      label: `Random initialisation (seed ${config.seed}) — NOT pretrained`,
      pretrained: false,
      parameterCount: 0,
    },
    tensors: null,
    seed: config.seed,
    classes: null,
  };
  const model = buildRunModel(weights, dataset.classes.length, config.seed);
  const run: RunRecord = {
    runId,
    config,
    classes: dataset.classes,
    dataset,
    weightsLabel: weights.info.label,
    model,
    status: 'running',
    stopRequested: false,
    history: [],
    validationPredictions: null,
  };
  session.runs.start(run);
  try {
    const result = await trainRun(model, dataset, config, {
      onStarted: ({ batchesPerEpoch }) => post({ type: 'train/started', runId, config, batchesPerEpoch, classes: dataset.classes }),
      onBatch: (metrics) => post({ type: 'train/batchEnded', runId, metrics }),
      onFeatures: (done, total) => post({ type: 'train/featuresProgressed', runId, done, total }),
      onEpoch: (metrics, memory) => {
        run.history.push(metrics);
        post({ type: 'train/epochEnded', runId, metrics, memory: { numTensors: memory.numTensors, numBytes: memory.numBytes } });
      },
      shouldStop: () => run.stopRequested,
    });
    run.validationPredictions = result.validation?.predictions ?? null;
    session.runs.finish(run, result.reason);
    post({ type: 'train/finished', runId, reason: result.reason, bestEpoch: result.bestEpoch, totalMs: result.totalMs });
  } catch (err) {
    session.runs.finish(run, 'failed');
    const bestEpoch = run.history.reduce(
      (best, m, i) => (m.validationLoss < (run.history[best - 1]?.validationLoss ?? Infinity) ? i + 1 : best),
      0,
    );
    post({ type: 'train/finished', runId, reason: 'failed', bestEpoch, totalMs: 0 });
    throw err;
  }
}

/** Handles `train/stop`: the run ends after its current batch, keeping finished epochs. */
export function stopTraining(command: CommandOf<'train/stop'>, session: Session): void {
  const run = session.runs.get(command.runId);
  if (!run) throw new Error(`There is no run ${command.runId} to stop.`);
  run.stopRequested = true;
}
