import { assertNever } from '../shared/assert-never.ts';
import type { Command, CommandOf } from '../shared/protocol.ts';
import { chooseBackend, destroyWebGpuDevice, watchDeviceLoss } from '../ml/backend.ts';
import { gpuDeviceLost } from '../shared/fault-messages.ts';
import { cancelDatasetImport, loadDataset } from './dataset-commands.ts';
import { previewAugment } from './augment-commands.ts';
import { editDataset, undoDatasetEdit } from './dataset-edit-commands.ts';
import { listMisclassified, listTopLosses } from './evaluate-commands.ts';
import { exportBaseWeights, exportRun } from './export-commands.ts';
import { explainGradCam } from './explain-commands.ts';
import { findLearningRate, stopLearningRateSweep } from './lr-find-commands.ts';
import { predictFiles, predictImage } from './predict-commands.ts';
import { exportPytorch, importRun } from './pytorch-commands.ts';
import type { Post, Session } from './session.ts';
import { exportLab, forget, importLab, openLab, saveQueue } from './lab-commands.ts';
import { restartTraining, resumeTraining } from './resume-commands.ts';
import { startTraining, stopTraining } from './train-commands.ts';
import { loadWeights } from './weights-commands.ts';
import { RunMemoryError } from './memory-check.ts';

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs one command against the session and posts its events. Never throws: a failure becomes an
 * `error` event naming the command (and its requestId/runId), and the session stays usable.
 */
export async function handleCommand(command: Command, session: Session, post: Post): Promise<void> {
  try {
    await dispatch(command, session, post);
  } catch (err) {
    post({
      type: 'error',
      command: command.type,
      ...('requestId' in command ? { requestId: command.requestId } : {}),
      ...('runId' in command && command.runId ? { runId: command.runId } : {}),
      message: errorMessage(err),
      ...(err instanceof RunMemoryError ? { memory: err.refusal } : {}),
    });
  }
}

async function initBackend(command: CommandOf<'backend/init'>, session: Session, post: Post): Promise<void> {
  if (session.runs.active) throw new Error(`Run ${session.runs.active.runId} is training: stop it before switching backends.`);
  try {
    session.backend = await chooseBackend(command.preferred, session.baseUrl);
  } finally {
    session.markBackendSettled();
  }
  // The page restarts a worker whose device is gone and offers Resume (finished epochs are stored).
  watchDeviceLoss((reason) => {
    session.gpuLost = reason;
    post({ type: 'error', command: 'worker', message: gpuDeviceLost(reason) });
  });
  post({ type: 'backend/ready', requestId: command.requestId, info: session.backend });
}

async function dispatch(command: Command, session: Session, post: Post): Promise<void> {
  // Commands that arrive while the first backend starts wait for it, or tf would choose one itself.
  if (command.type !== 'backend/init') await session.backendSettled;
  switch (command.type) {
    case 'backend/init':
      return initBackend(command, session, post);
    case 'backend/loseDevice':
      return destroyWebGpuDevice();
    case 'dataset/load':
      return loadDataset(command, session, post);
    case 'dataset/cancel':
      return cancelDatasetImport(session);
    case 'dataset/edit':
      return editDataset(command, session, post);
    case 'dataset/undoEdit':
      return undoDatasetEdit(command, session, post);
    case 'weights/load':
      return loadWeights(command, session, post);
    case 'augment/preview':
      return previewAugment(command, session, post);
    case 'train/start':
      return startTraining(command, session, post);
    case 'train/stop':
      return stopTraining(command, session);
    case 'predict/image':
      return predictImage(command, session, post);
    case 'explain/gradCam':
      return explainGradCam(command, session, post);
    case 'evaluate/misclassified':
      return listMisclassified(command, session, post);
    case 'evaluate/topLosses':
      return listTopLosses(command, session, post);
    case 'lr/find':
      return findLearningRate(command, session, post);
    case 'lr/stop':
      return stopLearningRateSweep(command, session);
    case 'export/run':
      return exportRun(command, session, post);
    case 'weights/export':
      return exportBaseWeights(command, session, post);
    case 'predict/files':
      return predictFiles(command, session, post);
    case 'lab/open':
      return openLab(command, session, post);
    case 'train/resume':
      return resumeTraining(command, session, post);
    case 'train/restart':
      return restartTraining(command, session, post);
    case 'queue/save':
      return saveQueue(command, session, post);
    case 'storage/forget':
      return forget(command, session, post);
    case 'lab/export':
      return exportLab(command, session, post);
    case 'lab/import':
      return importLab(command, session, post);
    case 'export/pytorch':
      return exportPytorch(command, session, post);
    case 'run/import':
      return importRun(command, session, post);
    default:
      assertNever(command, 'command');
  }
}
