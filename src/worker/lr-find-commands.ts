import { applyDatasetEdits } from '../data/dataset-edits.ts';
import { lrRangeTest } from '../ml/train/lr-find.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { trainConfigProblem } from '../shared/validate-config.ts';
import type { Post, Session } from './session.ts';
import { buildRunModel } from './weights-commands.ts';

/**
 * `lr/find`: the LR range test on the loaded dataset from the weights a new run would start from (the
 * base weights with the config's seeded head, or the seeded random init). That model is built for the
 * sweep and freed after it, so no run, checkpoint or loaded weight is touched.
 */
export async function findLearningRate(command: CommandOf<'lr/find'>, session: Session, post: Post): Promise<void> {
  const { config } = command;
  if (!session.dataset) throw new Error('No dataset is loaded. Load one before the learning-rate sweep.');
  // The sweep sees what the next run would: the dataset as edited.
  const dataset = applyDatasetEdits(session.dataset, session.datasetEdits);
  if (session.runs.active) throw new Error(`Run ${session.runs.active.runId} is training; the sweep waits until it ends.`);
  const problem = trainConfigProblem(config, dataset.splits.train.length);
  if (problem) throw new Error(problem);
  const model = buildRunModel(
    session.weights ?? { tensors: null, info: randomInfo(config.seed), seed: config.seed, classes: null },
    dataset.classes.length,
    config.seed,
  );
  const started = performance.now();
  const sweep = { requestId: command.requestId, stopRequested: false };
  session.lrSweep = sweep;
  try {
    const result = await lrRangeTest(model, dataset, config, command, {
      onPoint: (point) => post({ type: 'lr/progressed', requestId: command.requestId, point, maxSteps: command.maxSteps }),
      shouldStop: () => sweep.stopRequested,
    });
    post({ type: 'lr/found', requestId: command.requestId, ms: performance.now() - started, ...result });
  } finally {
    if (session.lrSweep === sweep) session.lrSweep = null;
    model.dispose();
  }
}

/** `lr/stop`: the sweep stops after its current batch and answers with its curve so far (nothing to do once it has ended). */
export function stopLearningRateSweep(command: CommandOf<'lr/stop'>, session: Session): void {
  if (session.lrSweep?.requestId === command.requestId) session.lrSweep.stopRequested = true;
}

function randomInfo(seed: number) {
  return {
    source: 'random-init' as const,
    label: `Random initialisation (seed ${seed}) — NOT pretrained`,
    pretrained: false,
    parameterCount: 0,
  };
}
