/** `dataset/edit` and `dataset/undoEdit`: the person's relabelled and excluded images, kept with the stored dataset. */
import { withEdit, withoutEdit } from '../data/dataset-edits.ts';
import type { CommandOf } from '../shared/protocol.ts';
import type { DatasetEdit } from '../shared/types.ts';
import { putEdits } from '../storage/lab-db.ts';
import { datasetKeyOf } from '../storage/pack.ts';
import { saveFailure } from './persistence.ts';
import type { Post, Session } from './session.ts';

function loadedDataset(session: Session) {
  if (!session.dataset) throw new Error('No dataset is loaded: load the dataset again before editing its images.');
  return session.dataset;
}

/**
 * Makes `edits` the session's and stores them with the dataset (when storage is open), then answers.
 * A failed save keeps the edits for this session and says so; it never loses them.
 */
async function commitEdits(session: Session, edits: readonly DatasetEdit[], requestId: string, post: Post): Promise<void> {
  const dataset = loadedDataset(session);
  session.datasetEdits = edits;
  if (session.persistence) {
    try {
      await putEdits(session.persistence.db, datasetKeyOf(dataset), edits);
    } catch (err) {
      post({ type: 'storage/failed', message: saveFailure(err, 'the dataset edits') });
    }
  }
  post({ type: 'dataset/edited', requestId, edits });
}

/** `dataset/edit`: relabels an image (or excludes it, `to` null); the next run trains and evaluates with it. */
export async function editDataset(command: CommandOf<'dataset/edit'>, session: Session, post: Post): Promise<void> {
  // A run in progress keeps the dataset it started with: edits are for the next one.
  const dataset = loadedDataset(session);
  const edits = withEdit(dataset, session.datasetEdits, command);
  await commitEdits(session, edits, command.requestId, post);
}

/** `dataset/undoEdit`: takes back one image's edit, or all of them (`target` null). */
export async function undoDatasetEdit(command: CommandOf<'dataset/undoEdit'>, session: Session, post: Post): Promise<void> {
  await commitEdits(session, withoutEdit(session.datasetEdits, command.target), command.requestId, post);
}
