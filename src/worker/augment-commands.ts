import { previewAugmentations } from '../ml/augment/preview.ts';
import type { CommandOf } from '../shared/protocol.ts';
import type { Post, Session } from './session.ts';

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
