import { previewAugmentations } from '../ml/augment/preview.ts';
import { cellIndices, predictProbabilities } from '../ml/train/evaluate.ts';
import type { CommandOf } from '../shared/protocol.ts';
import type { Post } from './handler.ts';
import type { RunRecord } from './runs.ts';
import type { Session } from './session.ts';
import { modelCheckpointOf, modelFromCheckpoint } from './persistence.ts';

/** The newest run that has finished and has a model (held, or in a stored checkpoint), if any. */
export function newestFinishedRunId(session: Session): string | undefined {
  const usable = (r: RunRecord) => (r.model || modelCheckpointOf(r)) && r.status !== 'running';
  return [...session.runs.all()].reverse().find(usable)?.runId;
}

/**
 * The run a command names, with its model: held on the device, or rebuilt from its stored
 * checkpoint (after a reload, or once released to free memory). Errors say what to do otherwise.
 */
export async function runWithModel(session: Session, runId: string): Promise<RunRecord & { model: NonNullable<RunRecord['model']> }> {
  const run = session.runs.get(runId);
  if (!run) throw new Error(`There is no run ${runId} in this lab.`);
  if (run.status === 'running') throw new Error(`Run ${run.number} is still training; wait for it to finish or stop it first.`);
  const checkpoint = modelCheckpointOf(run);
  if (!run.model && checkpoint && session.persistence) {
    run.model = await modelFromCheckpoint(session.persistence.db, checkpoint, run.classes.length);
  }
  if (!run.model) {
    throw new Error(
      `The weights of run ${run.number} are not kept (released to free GPU memory, or no checkpoint was saved). Export runs you want to keep soon after they finish, or keep checkpoints on.`,
    );
  }
  return run as RunRecord & { model: NonNullable<RunRecord['model']> };
}

/** `augment/preview`: augmented versions of a few training images, exactly as a training step sees them. */
export async function previewAugment(command: CommandOf<'augment/preview'>, session: Session, post: Post): Promise<void> {
  const dataset = session.dataset;
  if (!dataset) throw new Error('Load a dataset first: the preview augments its training images.');
  const perClass = dataset.classes
    .map((_, c) => dataset.splits.train.find((image) => image.classIndex === c))
    .filter((x) => x !== undefined);
  const images = await previewAugmentations(perClass, command.augment, command.inputSize, command.seed, command.count);
  post({ type: 'augment/previewed', requestId: command.requestId, images });
}

/** `predict/image`: class probabilities of a trained run (or the newest finished one when runId is null). */
export async function predictImage(command: CommandOf<'predict/image'>, session: Session, post: Post): Promise<void> {
  const runId = command.runId ?? newestFinishedRunId(session);
  if (!runId) throw new Error('Train a run first: predictions come from a trained model.');
  const run = await runWithModel(session, runId);
  const probabilities = await predictProbabilities(run.model, command.image, run.config.inputSize, run.config.resizeMode);
  post({ type: 'predict/done', requestId: command.requestId, probabilities, classes: run.classes });
}

/** `evaluate/misclassified`: the validation images behind one confusion-matrix cell of a run. */
export function listMisclassified(command: CommandOf<'evaluate/misclassified'>, session: Session, post: Post): void {
  const run = session.runs.get(command.runId);
  if (!run?.validationPredictions || !run.dataset)
    throw new Error(
      `Run ${command.runId} has no evaluated epoch in this session (after a reload, its images are listed again once it trains).`,
    );
  const validation = run.dataset.splits.validation;
  const labels = Int32Array.from(validation, (image) => image.classIndex);
  const indices = cellIndices(
    { labels, predictions: run.validationPredictions, loss: 0, accuracy: 0 },
    command.trueClass,
    command.predictedClass,
    command.limit,
  );
  const images = indices.map((i) => validation[i]).filter((x) => x !== undefined);
  post({ type: 'evaluate/misclassifiedListed', requestId: command.requestId, images });
}
