/**
 * The worker's events and the CLI's requests as activities for the progress line (progress.ts):
 * what a `lab` command is waiting for, in words, with a count where there is one.
 */
import type { Activity } from './progress.ts';

type LabEvent = { type: string } & Record<string, unknown>;

/** What each request waits for, before its own progress events say more. */
const REQUEST_LABELS: Readonly<Record<string, string>> = {
  'backend/init': 'starting the backend',
  'dataset/load': 'importing the dataset',
  'weights/load': 'loading the weights',
  'weights/export': 'writing the TensorFlow.js files',
  'export/run': 'exporting the run',
  'export/pytorch': 'writing the PyTorch project',
  'run/import': 'importing the run',
  'predict/files': 'predicting',
  'train/start': 'starting the run',
  'lr/find': 'sweeping the learning rate',
  'explain/gradCam': 'computing Grad-CAM',
};

export function activityOfRequest(type: string): Activity {
  return { label: REQUEST_LABELS[type] ?? type };
}

const MB = 1 << 20;

/** Follows the events of one `lab` session: returns the activity an event announces, or null. */
export function createActivityFollower(): (event: LabEvent) => Activity | null {
  const runs = new Map<string, { readonly name: string; readonly epochs: number }>();
  const nameOf = (runId: unknown) => runs.get(String(runId)) ?? { name: String(runId), epochs: 0 };
  return (event) => {
    switch (event.type) {
      case 'lr/progressed': {
        const point = event.point as { step: number; lr: number; loss: number };
        return {
          label: `sweeping the learning rate: lr ${point.lr.toExponential(1)}, loss ${point.loss.toFixed(3)}`,
          done: point.step + 1,
          total: Number(event.maxSteps),
          unit: 'batches',
        };
      }
      case 'dataset/progressed':
        return {
          label: `importing the dataset: ${String(event.phase)}`,
          done: Number(event.done),
          total: Number(event.total),
          unit: event.phase === 'unzipping' ? 'files' : 'images',
        };
      case 'weights/progressed': {
        const total = event.totalBytes === null ? undefined : Math.ceil(Number(event.totalBytes) / MB);
        return {
          label: `weights: ${String(event.phase)}`,
          done: Math.floor(Number(event.loadedBytes) / MB),
          unit: 'MB',
          ...(total ? { total } : {}),
        };
      }
      case 'train/started': {
        const config = event.config as { regime: string; epochs: number };
        const run = { name: config.regime, epochs: config.epochs };
        runs.set(String(event.runId), run);
        const epoch = Number((event.resumedFrom as { epoch?: number } | undefined)?.epoch ?? 0) + 1;
        return {
          label: `${run.name} epoch ${epoch}/${run.epochs}`,
          done: 0,
          total: Number(event.batchesPerEpoch),
          unit: 'batches',
          note: 'the first batch builds every kernel and runs forward and backward once: it is the slowest',
        };
      }
      case 'train/featuresProgressed':
        return {
          label: `${nameOf(event.runId).name}: computing the backbone's features once`,
          done: Number(event.done),
          total: Number(event.total),
          unit: 'images',
        };
      case 'train/batchEnded': {
        const m = event.metrics as { epoch: number; batch: number; batchesPerEpoch: number };
        const run = nameOf(event.runId);
        const label = `${run.name} epoch ${m.epoch}/${run.epochs}`;
        if (m.batch >= m.batchesPerEpoch) return { label: `${label}: validating` };
        return { label, done: m.batch, total: m.batchesPerEpoch, unit: 'batches' };
      }
      default:
        return null;
    }
  };
}
