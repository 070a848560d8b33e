import { cellIndices } from '../ml/train/evaluate.ts';
import type { CommandOf } from '../shared/protocol.ts';
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
