import { previewAugmentations } from '../ml/augment/preview.ts';
import { cellIndices, predictProbabilities } from '../ml/train/evaluate.ts';
import type { CommandOf } from '../shared/protocol.ts';
import type { Post } from './handler.ts';
import type { RunRecord } from './runs.ts';
import type { Session } from './session.ts';

/** The newest run that has finished and still holds its model, if any. */
export function newestFinishedRunId(session: Session): string | undefined {
  return [...session.runs.all()].reverse().find((r) => r.model && r.status !== 'running')?.runId;
}

/** The run a command names, with its model still held; errors say what to do otherwise. */
export function runWithModel(session: Session, runId: string): RunRecord & { model: NonNullable<RunRecord['model']> } {
  const run = session.runs.get(runId);
  if (!run) throw new Error(`There is no run ${runId} in this session (runs live until the page is reloaded).`);
  if (!run.model && run.origin) {
    throw new Error(
      `Run ${runId} was imported without weights; import it again with its .safetensors to use it for predictions and exports.`,
    );
  }
  if (!run.model) {
    throw new Error(
      `The weights of run ${runId} were released to free GPU memory (only the latest runs keep theirs). Export runs you want to keep soon after they finish.`,
    );
  }
  if (run.status === 'running') throw new Error(`Run ${runId} is still training; wait for it to finish or stop it first.`);
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
  const run = runWithModel(session, runId);
  const probabilities = await predictProbabilities(run.model, command.image, run.config.inputSize, run.config.resizeMode);
  post({ type: 'predict/done', requestId: command.requestId, probabilities, classes: run.classes });
}

/** `evaluate/misclassified`: the validation images behind one confusion-matrix cell of a run. */
export function listMisclassified(command: CommandOf<'evaluate/misclassified'>, session: Session, post: Post): void {
  const run = session.runs.get(command.runId);
  if (!run?.validationPredictions || !run.dataset)
    throw new Error(`Run ${command.runId} has no validation predictions in this session (not evaluated yet, or trained elsewhere).`);
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
