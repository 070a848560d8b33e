import { MOMENTUM_PREFIX, applyTrainingState, type HostValues } from '../ml/train/checkpoint.ts';
import type { ResNet50 } from '../ml/model.ts';
import { buildResNet50 } from '../ml/resnet50.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { bestEpochOf } from '../shared/best-epoch.ts';
import { getCheckpoint } from '../storage/lab-db.ts';
import { unpackTensors } from '../storage/pack.ts';
import { missingDatasetMessage } from './run-dataset.ts';
import type { RunRecord } from './runs.ts';
import type { Post, Session } from './session.ts';
import { trainRecord } from './train-commands.ts';
import { buildRunModel } from './weights-commands.ts';

/**
 * Handles `train/resume`: an interrupted run continues from its last checkpoint (weights, BN
 * buffers, momentum) at the next epoch, on the same dataset, as if it had never stopped.
 */
export async function resumeTraining(command: CommandOf<'train/resume'>, session: Session, post: Post): Promise<void> {
  const run = session.runs.get(command.runId);
  if (!run) throw new Error(`There is no run ${command.runId} to resume.`);
  if (run.status !== 'interrupted')
    throw new Error(`Run ${run.number} was not interrupted (it is ${run.status}); only interrupted runs resume.`);
  const persistence = session.persistence;
  if (!persistence || !run.lastCheckpoint)
    throw new Error(
      `Run ${run.number} has no saved checkpoint to resume from (none is kept before its first epoch ends, or checkpoints are off). Start it again instead.`,
    );
  const missing = missingDatasetMessage(run.number, run.datasetKey, session.dataset);
  if (missing !== null) throw new Error(`${missing} Then press Resume.`);
  const checkpoint = await getCheckpoint(persistence.db, run.lastCheckpoint);
  if (!checkpoint) throw new Error(`The checkpoint of run ${run.number} is no longer stored; it cannot resume.`);
  const saved = unpackTensors(checkpoint);
  const model = buildResNet50({ numClasses: run.classes.length });
  try {
    applyTrainingState(model, null, saved);
  } catch (err) {
    model.dispose();
    throw err;
  }
  run.model?.dispose();
  run.model = model;
  const done = checkpoint.epoch;
  run.history.splice(done);
  run.batches.splice(run.batches.findIndex((b) => b.epoch > done) >>> 0);
  run.bestEpoch = bestEpochOf(run.history);
  run.error = null;
  const momentum = new Map<string, HostValues>([...saved].filter(([name]) => name.startsWith(MOMENTUM_PREFIX)));
  const best =
    run.bestCheckpoint && run.bestCheckpoint !== run.lastCheckpoint ? await getCheckpoint(persistence.db, run.bestCheckpoint) : checkpoint;
  session.runs.resume(run);
  await trainRecord(run as RunRecord & { model: typeof model }, session, post, {
    history: [...run.history],
    bestEpoch: run.bestEpoch,
    momentum,
    bestWeights: best ? unpackTensors(best) : null,
    ...startModelOf(session, run),
  });
}

/**
 * The run's start (W₀ of its block movement), rebuilt from the base weights loaded now when they are
 * the ones it started from (same label; a random init has its seed in it). Otherwise none: the resumed
 * epochs then carry no movement rather than a movement from the wrong start.
 */
function startModelOf(session: Session, run: RunRecord): { startModel?: () => ResNet50 } {
  const base = session.weights;
  const same = base ? base.info.label === run.weightsLabel : run.weightsLabel.startsWith('Random initialisation');
  if (!same) return {};
  const numClasses = run.classes.length;
  const seed = run.config.seed;
  return { startModel: () => (base ? buildRunModel(base, numClasses, seed) : buildResNet50({ numClasses, seed })) };
}
