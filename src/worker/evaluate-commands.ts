import type { StoredImage } from '../data/dataset.ts';
import { rankTopLosses, splitLogProbabilities } from '../ml/interpret/top-losses.ts';
import { cellIndices } from '../ml/train/evaluate.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { loadRunModel } from './persistence.ts';
import type { Post, Session } from './session.ts';

/** `evaluate/misclassified`: the validation images behind one confusion-matrix cell of a run's epoch (default: its latest). */
export function listMisclassified(command: CommandOf<'evaluate/misclassified'>, session: Session, post: Post): void {
  const run = session.runs.get(command.runId);
  const epoch = command.epoch ?? Math.max(0, ...(run?.validationPredictions.keys() ?? []));
  const predictions = run?.validationPredictions.get(epoch);
  if (!run?.dataset || !predictions)
    throw new Error(
      `Run ${command.runId} has no validation predictions of epoch ${epoch} in this session (not evaluated yet, trained elsewhere, or restored after a reload).`,
    );
  const validation = run.dataset.splits.validation;
  const labels = Int32Array.from(validation, (image) => image.classIndex);
  const indices = cellIndices({ labels, predictions, loss: 0, accuracy: 0 }, command.trueClass, command.predictedClass, command.limit);
  const images = indices.map((i) => validation[i]).filter((x) => x !== undefined);
  post({ type: 'evaluate/misclassifiedListed', requestId: command.requestId, images });
}

/**
 * `evaluate/topLosses`: the run's current weights (the best epoch's when early stopping restored
 * them, else the last) on every image of a split, ranked by loss.
 */
export async function listTopLosses(command: CommandOf<'evaluate/topLosses'>, session: Session, post: Post): Promise<void> {
  const run = await loadRunModel(session, command.runId);
  const dataset = session.runs.get(command.runId)?.dataset;
  if (!dataset)
    throw new Error(`Run ${command.runId}'s dataset is not loaded in this session: load the dataset it trained on, then try again.`);
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
