import type { StoredImage } from '../data/dataset.ts';
import { rankTopLosses, splitLogProbabilities } from '../ml/interpret/top-losses.ts';
import type { ResNet50 } from '../ml/model.ts';
import { cellIndices, evaluateImages } from '../ml/train/evaluate.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { getCheckpointInfo } from '../storage/lab-db.ts';
import { loadRunModel, modelFromCheckpoint } from './persistence.ts';
import { datasetOfRun } from './run-dataset.ts';
import type { RunRecord } from './runs.ts';
import type { Post, Session } from './session.ts';

/** The weights of `run` after `epoch`, from its best or last checkpoint; the caller owns the model. */
async function epochModel(session: Session, run: RunRecord, epoch: number): Promise<ResNet50> {
  const db = session.persistence?.db;
  for (const id of [run.bestCheckpoint, run.lastCheckpoint]) {
    if (!db || !id) continue;
    const checkpoint = await getCheckpointInfo(db, id);
    if (checkpoint?.epoch === epoch) return modelFromCheckpoint(db, id, run.classes.length);
  }
  throw new Error(
    `The weights of run ${run.number} after epoch ${epoch} are not kept, so its images cannot be listed again. Set "Checkpoints kept per run" to "last and best" (Storage panel) for the next runs.`,
  );
}

/**
 * `evaluate/misclassified`: the validation images behind one confusion-matrix cell of a run's epoch
 * (default: its latest). Predictions not held in this session (after a reload) are made again from
 * that epoch's checkpoint.
 */
export async function listMisclassified(command: CommandOf<'evaluate/misclassified'>, session: Session, post: Post): Promise<void> {
  const run = session.runs.get(command.runId);
  if (!run) throw new Error(`There is no run ${command.runId}.`);
  const dataset = datasetOfRun(session, run);
  const epoch = command.epoch ?? Math.max(0, ...run.validationPredictions.keys(), ...run.history.map((e) => e.epoch));
  let predictions = run.validationPredictions.get(epoch);
  if (!predictions) {
    const model = await epochModel(session, run, epoch);
    try {
      predictions = (await evaluateImages(model, dataset.splits.validation, run.config)).predictions;
      run.validationPredictions.set(epoch, predictions);
    } finally {
      model.dispose();
    }
  }
  const validation = dataset.splits.validation;
  const labels = Int32Array.from(validation, (image) => image.classIndex);
  const indices = cellIndices({ labels, predictions, loss: 0, accuracy: 0 }, command.trueClass, command.predictedClass, command.limit);
  const images = indices
    .map((i) => validation[i])
    .filter((x) => x !== undefined)
    .map(({ width, height, channels, pixels, path }) => ({ width, height, channels, pixels, path }));
  post({ type: 'evaluate/misclassifiedListed', requestId: command.requestId, images });
}

/**
 * `evaluate/topLosses`: the run's current weights (the best epoch's when early stopping restored
 * them, else the last) on every image of a split, ranked by loss.
 */
export async function listTopLosses(command: CommandOf<'evaluate/topLosses'>, session: Session, post: Post): Promise<void> {
  const record = session.runs.get(command.runId);
  if (!record) throw new Error(`There is no run ${command.runId}.`);
  const dataset = datasetOfRun(session, record);
  const run = await loadRunModel(session, command.runId);
  const images = dataset.splits[command.split];
  if (images.length === 0) throw new Error(`The dataset has no ${command.split} images; pick the other split.`);
  const logProbabilities = await splitLogProbabilities(run.model, images, run.config);
  const labels = Int32Array.from(images, (image) => image.classIndex);
  const all = rankTopLosses(labels, logProbabilities, run.classes.length, images.length);
  const meanLoss = all.reduce((sum, r) => sum + r.loss, 0) / all.length;
  const items = all.slice(0, command.limit).map((r) => {
    const { path, width, height, channels, pixels } = images[r.index] as StoredImage;
    return { ...r, path, image: { width, height, channels, pixels } };
  });
  post({ type: 'evaluate/topLossesListed', requestId: command.requestId, split: command.split, evaluated: images.length, meanLoss, items });
}
