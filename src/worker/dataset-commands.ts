import { createBrowserImageDecoder } from '../data/browser-decoder.ts';
import { importDataset } from '../data/import-dataset.ts';
import { createWebCodecsImageDecoder } from '../data/webcodecs-decoder.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { startDecodeWorkers } from './decode-workers.ts';
import type { Post, Session } from './session.ts';
import type { Dataset } from '../data/dataset.ts';
import { putDataset, putEdits } from '../storage/lab-db.ts';
import { datasetKeyOf, packDataset, packedBytes } from '../storage/pack.ts';
import { saveFailure, storageInfo } from './persistence.ts';
import { throwIfCancelled } from '../data/progress.ts';

/** Keeps the dataset's pixels in storage (one dataset at a time) so a reload brings it back. */
async function saveDataset(session: Session, dataset: Dataset, post: Post): Promise<void> {
  const persistence = session.persistence;
  if (!persistence) return;
  try {
    const packed = packDataset(dataset);
    await putDataset(persistence.db, packed);
    await putEdits(persistence.db, datasetKeyOf(dataset), []);
    persistence.datasetBytes = packedBytes(packed);
    post({ type: 'storage/changed', storage: await storageInfo(persistence) });
  } catch (err) {
    post({ type: 'storage/failed', message: saveFailure(err, `the dataset "${dataset.name}"`) });
  }
}

/**
 * Imports a dataset and replaces the session's one only when the import succeeds: a failed or
 * cancelled import leaves the previous dataset (and every run) as it was.
 */
export async function loadDataset(command: CommandOf<'dataset/load'>, session: Session, post: Post): Promise<void> {
  session.datasetImport?.controller.abort();
  const controller = new AbortController();
  session.datasetImport = { requestId: command.requestId, controller };
  // Decode workers keep this thread free to inflate the zip; where none can start, images are decoded here.
  const decoders = startDecodeWorkers(createWebCodecsImageDecoder(createBrowserImageDecoder()), controller.signal);
  try {
    const dataset = await importDataset(command.source, command.options, {
      decode: decoders.decode,
      signal: controller.signal,
      onProgress: (done, total, phase) => post({ type: 'dataset/progressed', requestId: command.requestId, done, total, phase }),
    });
    // A restore in progress must not replace this dataset after the fact (and storage must be open to keep it).
    await session.labOpening;
    throwIfCancelled(controller.signal);
    session.dataset = dataset;
    // Edits belong to the dataset they were made on: a new one starts with none.
    session.datasetEdits = [];
    post({ type: 'dataset/loaded', requestId: command.requestId, summary: dataset.summary });
    await saveDataset(session, dataset, post);
  } finally {
    decoders.close();
    if (session.datasetImport?.controller === controller) session.datasetImport = null;
  }
}

/** Cancels the import in progress; its `dataset/load` then ends with an error event saying so. */
export function cancelDatasetImport(session: Session): void {
  session.datasetImport?.controller.abort();
}
