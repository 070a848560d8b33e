/** Turns a worker `error` event into a message that says what failed and what to do about it. */
import { isGpuDeviceLoss } from '../shared/fault-messages.ts';
import type { CommandType } from '../shared/protocol.ts';
import type { Message } from './types.ts';

const WHAT: Record<CommandType | 'worker', { title: string; hint: string }> = {
  'backend/init': {
    title: 'Starting the compute backend failed',
    hint: 'Pick another backend in the Model panel (WASM works everywhere).',
  },
  'backend/loseDevice': {
    title: 'The GPU device could not be lost on purpose',
    hint: 'This test hook works only while WebGPU is the backend.',
  },
  'dataset/load': {
    title: 'Loading the dataset failed',
    hint: 'Use a zip of class folders, a FER2013 CSV, or a folder of class-named subfolders, then try again. The demo dataset needs no files.',
  },
  'dataset/edit': {
    title: 'The image could not be relabelled or excluded',
    hint: 'Load the run’s dataset again (it may have been replaced), then edit the image from a fresh top-losses list.',
  },
  'dataset/undoEdit': { title: 'Undoing the edit failed', hint: 'Reload the page; the stored edits are shown again.' },
  'dataset/cancel': { title: 'Cancelling the dataset load failed', hint: 'Wait for the load to finish or reload the page.' },
  'weights/load': {
    title: 'Loading the weights failed',
    hint: 'Drop a ResNet50 .pth/.pt or .safetensors (or model.json with its shards), check the URL, or use random initialisation (not pretrained).',
  },
  'augment/preview': { title: 'The augmentation preview failed', hint: 'Load a dataset first; the preview draws its images.' },
  'train/start': {
    title: 'Training could not start',
    hint: 'Load a dataset and weights first, then press Start again. Earlier runs are kept.',
  },
  'train/stop': { title: 'Stopping the run failed', hint: 'The run stops by itself at its last epoch; other runs are unaffected.' },
  'predict/image': { title: 'The prediction failed', hint: 'Choose a finished run and a JPEG or PNG image, then try again.' },
  'explain/gradCam': {
    title: 'The heat map could not be computed',
    hint: 'Pick a finished run that still has its weights, then try again.',
  },
  'lr/find': {
    title: 'The learning-rate sweep failed',
    hint: 'Load a dataset and weights, wait for any run to end, then try again; no run or weight was changed.',
  },
  'lr/stop': { title: 'Stopping the sweep failed', hint: 'It stops by itself at its last batch or when the loss diverges.' },
  'evaluate/topLosses': {
    title: 'Finding the top losses failed',
    hint: 'Pick a finished run whose dataset is loaded, and a split that has images.',
  },
  'evaluate/misclassified': { title: 'Listing the misclassified images failed', hint: 'Pick a finished run and click a non-empty cell.' },
  'export/run': { title: 'The export failed', hint: 'Try another format; the run and its metrics stay here.' },
  'weights/export': { title: 'Exporting the weights failed', hint: 'Load the weights again, then retry.' },
  'predict/files': { title: 'The prediction failed', hint: 'Give JPEG, PNG, WebP, BMP or GIF images and a trained run or loaded weights.' },
  'lab/open': {
    title: 'The saved lab could not be opened',
    hint: 'Runs still train, but nothing is saved across reloads. Check that this browser allows site storage (not a private window).',
  },
  'train/resume': {
    title: 'The run could not resume',
    hint: 'Load the dataset it trained on, or start it again with the same settings. Its finished epochs are kept.',
  },
  'train/restart': {
    title: 'The run could not start again',
    hint: 'Load the dataset and the weights it trained from, or start a new run.',
  },
  'queue/save': { title: 'Saving the run queue failed', hint: 'The queue goes on; after a reload, start the missing regimes yourself.' },
  'storage/forget': { title: 'Deleting from storage failed', hint: 'Reload the page and try again.' },
  'lab/export': { title: 'Exporting the lab failed', hint: 'Export single runs from the Export panel instead.' },
  'lab/import': { title: 'Importing the lab file failed', hint: 'Choose the .zip that "Export lab" wrote. Nothing was changed.' },
  'export/pytorch': {
    title: 'Exporting the PyTorch project failed',
    hint: 'Export from a run trained on an imported dataset (zip, folder or FER2013 CSV), not the demo dataset.',
  },
  'run/import': {
    title: 'Importing the PyTorch run failed',
    hint: "Pick the metrics.json that train.py wrote, and optionally a .safetensors from the same run's results folder.",
  },
  worker: {
    title: 'The training worker stopped',
    hint: 'The lab restarted it. Its last checkpoint is kept: press Resume on the interrupted run (or Resume queue) to continue it.',
  },
};

/** Messages of running out of memory on the device or in WASM, as tfjs and browsers word them. */
const OUT_OF_MEMORY = /out of memory|\boom\b|failed to allocate|cannot allocate|allocation failed|memory\.grow|array buffer allocation/i;

/** Whether a failure reads as running out of memory. */
export function isOutOfMemory(detail: string): boolean {
  return OUT_OF_MEMORY.test(detail);
}

/**
 * The message for an error about `command`. `run` is given when the error names a known run;
 * a `train/start` error for a run that had begun training is a crash mid-run.
 */
export function errorMessage(
  command: CommandType | 'worker',
  detail: string,
  run?: { label: string; begun: boolean },
): Omit<Message, 'id' | 'count'> {
  const what = WHAT[command];
  if (command === 'worker' && isGpuDeviceLoss(detail)) {
    return {
      title: 'The GPU device was lost',
      detail,
      hint: 'Press Resume on WASM beside the interrupted run (Training panel): it continues from its last checkpoint on the CPU.',
    };
  }
  if (isOutOfMemory(detail) && (command === 'train/start' || command === 'train/resume' || command === 'worker')) {
    return {
      title: run ? `${run.label} ran out of memory` : 'Training ran out of memory',
      detail,
      hint: 'Lower the batch size or the input size (Regime panel), then start again. Finished epochs are kept.',
    };
  }
  if (run && command === 'train/start' && run.begun) {
    return {
      title: `${run.label} failed mid-training`,
      detail,
      hint: 'Its finished epochs are kept. If it ran out of memory, try a smaller input size or batch size.',
    };
  }
  return { title: run ? `${what.title} (${run.label})` : what.title, detail, hint: what.hint };
}
