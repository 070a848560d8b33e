import { randomStreamState } from '../ml/train/batches.ts';
import { MOMENTUM_PREFIX, applyTrainingState, type HostValues } from '../ml/train/checkpoint.ts';
import type { ResNet50 } from '../ml/model.ts';
import { buildResNet50 } from '../ml/resnet50.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { bestEpochOf } from '../shared/best-epoch.ts';
import { deleteCheckpoints, getCheckpoint } from '../storage/lab-db.ts';
import { unpackTensors } from '../storage/pack.ts';
import type { CheckpointPosition, StoredCheckpoint } from '../storage/schema.ts';
import { storedRunOf } from './persistence.ts';
import { datasetOfRun, missingDatasetMessage } from './run-dataset.ts';
import type { RunRecord } from './runs.ts';
import type { Post, Session } from './session.ts';
import { sessionWeights, trainRecord } from './train-commands.ts';
import { buildRunModel } from './weights-commands.ts';

/** The interrupted run a command names, on the dataset it trained on. */
function interruptedRun(session: Session, runId: string, verb: string): RunRecord {
  const run = session.runs.get(runId);
  if (!run) throw new Error(`There is no run ${runId} to ${verb}.`);
  if (run.status !== 'interrupted')
    throw new Error(`Run ${run.number} was not interrupted (it is ${run.status}); only interrupted runs ${verb}.`);
  const missing = missingDatasetMessage(run.number, run.datasetKey, session.dataset);
  if (missing !== null) throw new Error(`${missing} Then press ${verb === 'resume' ? 'Resume' : 'Start again with the same settings'}.`);
  return run;
}

/** Refuses a mid-epoch checkpoint whose data order or augmentation this build would draw differently. */
function checkStreams(run: RunRecord, position: CheckpointPosition, trainSize: number): void {
  const now = randomStreamState(trainSize, run.config.seed, position.epoch, position.batchesDone);
  const then = position.streams;
  if (now.shuffle !== then.shuffle || now.order !== then.order || now.augment !== then.augment)
    throw new Error(
      `Run ${run.number}'s checkpoint was written by a version of the lab that orders or augments the images differently, so it cannot continue exactly. Start it again with the same settings.`,
    );
}

/** The best epoch's weights for early stopping: the same record as the last, another one, or none yet. */
async function bestWeightsOf(session: Session, run: RunRecord, last: StoredCheckpoint): Promise<ReadonlyMap<string, HostValues> | null> {
  if (!run.bestCheckpoint) return null;
  if (run.bestCheckpoint === last.id) return unpackTensors(last);
  const best = await getCheckpoint((session.persistence as NonNullable<Session['persistence']>).db, run.bestCheckpoint);
  return best ? unpackTensors(best) : null;
}

/**
 * Handles `train/resume`: an interrupted run continues from its last checkpoint (weights, BN
 * buffers, momentum) on the same dataset, as if it had never stopped: after an epoch-end
 * checkpoint with the next epoch, after a mid-epoch one with the next batch of its epoch, the
 * epoch's loss and accuracy counting the batches trained before.
 */
export async function resumeTraining(command: CommandOf<'train/resume'>, session: Session, post: Post): Promise<void> {
  const run = interruptedRun(session, command.runId, 'resume');
  const persistence = session.persistence;
  if (!persistence || !run.lastCheckpoint)
    throw new Error(
      `Run ${run.number} has no saved checkpoint to resume from (none was written before it stopped, or checkpoints are off). Start it again with the same settings instead.`,
    );
  const checkpoint = await getCheckpoint(persistence.db, run.lastCheckpoint);
  if (!checkpoint)
    throw new Error(`The checkpoint of run ${run.number} is no longer stored; it cannot resume. Start it again with the same settings.`);
  const trainSize = datasetOfRun(session, run).splits.train.length;
  const position = checkpoint.position ?? null;
  if (position) checkStreams(run, position, trainSize);
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
  // Batches of finished epochs stay; those of the epoch in progress, up to the checkpoint, wait for its end.
  const batches = run.batches.filter((b) => b.epoch <= done);
  const partial = position ? run.batches.filter((b) => b.epoch === done + 1 && b.batch <= position.batchesDone) : [];
  run.batches.splice(0, run.batches.length, ...batches);
  run.pendingBatches.splice(0, run.pendingBatches.length, ...partial);
  run.bestEpoch = bestEpochOf(run.history);
  run.error = null;
  const momentum = new Map<string, HostValues>([...saved].filter(([name]) => name.startsWith(MOMENTUM_PREFIX)));
  const bestWeights = await bestWeightsOf(session, run, checkpoint);
  const { streams: _streams, ...progress } = position ?? { streams: null };
  const from = {
    epoch: done,
    batch: position?.batchesDone ?? 0,
    elapsedMs: run.resumeAt?.elapsedMs ?? 0,
    savedAt: run.resumeAt?.savedAt ?? 0,
  };
  session.runs.resume(run);
  await trainRecord(run as RunRecord & { model: typeof model }, session, post, {
    history: [...run.history],
    bestEpoch: run.bestEpoch,
    momentum,
    bestWeights,
    progress: position ? (progress as Omit<CheckpointPosition, 'streams'>) : null,
    from,
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

/**
 * Handles `train/restart`: an interrupted run that cannot resume (no checkpoint was kept) trains
 * again from its start, as the same run with the same settings, from the same starting weights.
 */
export async function restartTraining(command: CommandOf<'train/restart'>, session: Session, post: Post): Promise<void> {
  const run = interruptedRun(session, command.runId, 'start again');
  if (session.runs.active) throw new Error(`Run ${session.runs.active.number} is still training; stop it or wait for it to finish.`);
  const weights = sessionWeights(session, run.config);
  if (weights.info.label !== run.weightsLabel)
    throw new Error(
      `Run ${run.number} started from "${run.weightsLabel}", and the lab now holds "${weights.info.label}". Load those weights again to start it again, or start a new run.`,
    );
  const model = buildRunModel(weights, run.classes.length, run.config.seed);
  run.model?.dispose();
  run.model = model;
  run.history.splice(0);
  run.batches.splice(0);
  run.pendingBatches.splice(0);
  run.validationPredictions.clear();
  run.bestEpoch = 0;
  run.error = null;
  run.evicted = false;
  run.startedAt = Date.now();
  run.resumeAt = null;
  run.checkpointBytes = 0;
  run.bestBytes = 0;
  if (session.persistence) await deleteCheckpoints(session.persistence.db, storedRunOf(run));
  run.lastCheckpoint = null;
  run.bestCheckpoint = null;
  session.runs.resume(run);
  await trainRecord(run as RunRecord & { model: typeof model }, session, post, null);
}
