/**
 * What the page asks of the worker. Each command records its intent in the store first (so the UI
 * shows it at once), then sends; replies and errors come back through `applyEvents`.
 */
import type { DatasetSource, ExportFormat, ReplyOf, WeightsRequest } from '../shared/protocol.ts';
import type { BackendName, ExportFile, LrFindPoint, RawImage, SplitName, TrainConfig } from '../shared/types.ts';
import { MAX_UNCOMPRESSED_BYTES } from '../shared/train-defaults.ts';
import type { LabStore } from '../state/store.ts';
import type { LabPort } from './lab-port.ts';
import { createQueueCommands } from './queue-commands.ts';

export type { LabPort };

/** Command senders bound to one client and one store. */
export type LabCommands = ReturnType<typeof createLabCommands>;

const ignore = () => undefined;

/** A file's name and bytes (the bytes are transferred to the worker). */
type NamedBuffer = { readonly name: string; readonly data: ArrayBuffer };

/** Binds the commands to `port` and `store`; `now` is a clock (tests pass a fake). */
export function createLabCommands(port: LabPort, store: LabStore, now: () => number = Date.now) {
  const startRun = (config: TrainConfig, runId = port.newId('run')): string => {
    store.getState().runRequested(runId, config, now());
    port.send({ type: 'train/start', runId, config });
    return runId;
  };
  const resumeRun = (runId: string): void => {
    store.getState().runResumeRequested(runId);
    port.send({ type: 'train/resume', runId });
  };
  const restartRun = (runId: string): void => {
    store.getState().runResumeRequested(runId);
    port.send({ type: 'train/restart', runId });
  };
  /** Switches the backend, then resumes: after a lost GPU device, Resume on WASM. */
  const resumeRunOn = async (runId: string, backend: BackendName): Promise<void> => {
    store.getState().backendRequested(backend);
    const ready = await port.request({ type: 'backend/init', requestId: port.newId('backend'), preferred: backend }).catch(() => null);
    if (ready) resumeRun(runId);
  };
  const queue = createQueueCommands(port, store, { startRun, resumeRun, restartRun });
  return {
    ...queue,
    /** Continues an interrupted run from its last checkpoint (mid-epoch: with the next batch). */
    resumeRun,
    /** Trains an interrupted run that cannot resume again from its start, as the same run with the same settings. */
    restartRun,
    resumeRunOn,
    initBackend(preferred: BackendName | 'auto'): void {
      store.getState().backendRequested(preferred);
      port.request({ type: 'backend/init', requestId: port.newId('backend'), preferred }).catch(ignore);
    },
    loadDataset(source: DatasetSource): void {
      const requestId = port.newId('dataset');
      const { validationFraction, train, grouping } = store.getState().config;
      store.getState().datasetRequested(requestId, source.kind === 'demo' ? 'Demo dataset' : source.name);
      const options = {
        validationFraction,
        seed: train.seed,
        maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES,
        groupBy: grouping.by,
        groupPattern: grouping.pattern,
      };
      port.request({ type: 'dataset/load', requestId, source, options }).catch(ignore);
    },
    loadWeights(request: WeightsRequest): void {
      const requestId = port.newId('weights');
      store.getState().weightsRequested(requestId);
      port.request({ type: 'weights/load', requestId, request }).catch(ignore);
    },
    /** At start-up: use pretrained weights already in this browser's cache or the local copy, without downloading. */
    loadAvailableWeights(): void {
      const requestId = port.newId('weights');
      store.getState().weightsRequested(requestId, true);
      const request: WeightsRequest = { kind: 'pretrained', url: store.getState().weights.url, allowDownload: false };
      port.request({ type: 'weights/load', requestId, request }).catch(ignore);
    },
    /** Starts a run with the current setup; returns its runId. */
    startRun: (): string => startRun(store.getState().config.train),
    /** Starts a new run with `config` (a run whose checkpoints were evicted, trained again). */
    startRunWith: (config: TrainConfig): string => startRun(config),
    /** Stops a run cooperatively (after its current batch); a queue it belongs to then waits. */
    stopRun(runId: string): void {
      store.getState().runStopRequested(runId);
      port.send({ type: 'train/stop', runId });
    },
    /** Asks the worker to abandon the dataset load in progress. */
    cancelDataset(): void {
      const { requestId, status } = store.getState().dataset;
      if (!requestId || status !== 'loading') return;
      store.getState().datasetCancelRequested();
      port.send({ type: 'dataset/cancel', requestId });
    },
    /** Augmented versions of `count` training images with the current settings, as a training step sees them. */
    async previewAugment(count: number): Promise<readonly RawImage[]> {
      const { augment, inputSize, seed } = store.getState().config.train;
      const reply = await port.request({ type: 'augment/preview', requestId: port.newId('preview'), augment, inputSize, seed, count });
      return reply.images;
    },
    /** Class probabilities of run `runId` for one image; the image's pixel buffer is transferred to the worker. */
    predictImage(runId: string, image: RawImage): Promise<ReplyOf<'predict/image'>> {
      return port.request({ type: 'predict/image', requestId: port.newId('predict'), runId, image });
    },
    /**
     * Grad-CAM of one image with run `runId` for `classIndex` (null: the predicted class). A copy of the
     * pixels is sent, so the caller's image stays usable.
     */
    explainGradCam(runId: string, image: RawImage, classIndex: number | null): Promise<ReplyOf<'explain/gradCam'>> {
      const copy = { ...image, pixels: image.pixels.slice() };
      return port.request({ type: 'explain/gradCam', requestId: port.newId('gradcam'), runId, image: copy, classIndex });
    },
    /** Up to `limit` validation images of run `runId`'s `epoch` with true class `trueClass` predicted as `predictedClass`. */
    async listMisclassified(
      runId: string,
      epoch: number,
      trueClass: number,
      predictedClass: number,
      limit: number,
    ): Promise<readonly (RawImage & { readonly path: string })[]> {
      const requestId = port.newId('misclassified');
      const reply = await port.request({ type: 'evaluate/misclassified', requestId, runId, epoch, trueClass, predictedClass, limit });
      return reply.images;
    },
    /** Relabels image `path` of `split` to class `to`, or excludes it (`to` null); the store learns the edits from the reply. */
    editImage(split: SplitName, path: string, to: number | null): Promise<ReplyOf<'dataset/edit'>> {
      return port.request({ type: 'dataset/edit', requestId: port.newId('edit'), split, path, to });
    },
    /** Takes back one image's edit, or all of them (null). */
    undoEdit(target: { readonly split: SplitName; readonly path: string } | null): Promise<ReplyOf<'dataset/undoEdit'>> {
      return port.request({ type: 'dataset/undoEdit', requestId: port.newId('edit'), target });
    },
    /** The `limit` images of run `runId`'s split with the highest loss, with true and predicted class. */
    listTopLosses(runId: string, split: 'validation' | 'test', limit: number): Promise<ReplyOf<'evaluate/topLosses'>> {
      return port.request({ type: 'evaluate/topLosses', requestId: port.newId('toplosses'), runId, split, limit });
    },
    /** LR range test of `config`'s regime from the weights a new run would start from; changes nothing. */
    /**
     * Starts the LR sweep: `onPoint` hears each batch as it ends; `stop()` ends it after the current
     * batch (the reply then holds the curve so far).
     */
    findLearningRate(
      config: TrainConfig,
      sweep: { startLr: number; endLr: number; maxSteps: number },
      onPoint: (point: LrFindPoint, maxSteps: number) => void = ignore,
    ): { readonly done: Promise<ReplyOf<'lr/find'>>; stop(): void } {
      const requestId = port.newId('lrfind');
      const done = port.request({ type: 'lr/find', requestId, config, ...sweep }, (event) => {
        if (event.type === 'lr/progressed') onPoint(event.point, event.maxSteps);
      });
      return { done, stop: () => port.send({ type: 'lr/stop', requestId }) };
    },
    /** The files of one export of a finished run. */
    async exportRun(runId: string, format: ExportFormat): Promise<readonly ExportFile[]> {
      const reply = await port.request({ type: 'export/run', requestId: port.newId('export'), runId, format });
      return reply.files;
    },
    /** The data files of run `runId`'s PyTorch project (config.json, split.json, starting weights if from a file). */
    async exportPytorch(runId: string, config: TrainConfig): Promise<readonly ExportFile[]> {
      const reply = await port.request({ type: 'export/pytorch', requestId: port.newId('export'), runId, config });
      return reply.files;
    },
    /** A run trained in PyTorch (its metrics.json, optionally its weights) joins the runs through its `run/imported` event. */
    async importRun(metrics: NamedBuffer, weights: NamedBuffer | null): Promise<void> {
      await port.request({ type: 'run/import', requestId: port.newId('import'), runId: port.newId('run'), metrics, weights });
    },
  };
}
