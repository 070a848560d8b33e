import type { ResNet50 } from '../ml/model.ts';
import { buildResNet50 } from '../ml/resnet50.ts';
import { checkTorchvisionStateDict, loadTorchvisionStateDict } from '../ml/weights/convert-torchvision.ts';
import { parseSafetensors, type HostTensor } from '../ml/weights/safetensors.ts';
import { readTfjsLayersFiles } from '../ml/weights/tfjs-files.ts';
import { readWeightsFile } from '../ml/weights/weights-file.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { DEFAULT_CLASS_COUNT } from '../shared/train-defaults.ts';
import type { WeightsInfo } from '../shared/types.ts';
import { downloadWithProgress, LOCAL_MODEL_PATH, readCachedWeights } from './weights-download.ts';
import type { BaseWeights, Post, Session } from './session.ts';

/** Output classes of a state_dict's own fc (ImageNet: 1000), or `fallback` for a random init. */
export function classCountOf(tensors: ReadonlyMap<string, HostTensor> | null, fallback = DEFAULT_CLASS_COUNT): number {
  const fc = tensors?.get('fc.weight') ?? tensors?.get('module.fc.weight');
  return fc?.shape[0] ?? fallback;
}

function parameterCount(tensors: ReadonlyMap<string, HostTensor> | null): number {
  const numClasses = classCountOf(tensors);
  // A file of another network is refused before a ResNet50 is built (seconds on a CPU backend).
  if (tensors) checkTorchvisionStateDict(tensors, numClasses);
  const model = buildResNet50({ numClasses });
  try {
    // Validates every tensor (name and shape) now, so a bad file fails at load, not at Start.
    if (tensors) loadTorchvisionStateDict(model, tensors, { numClasses });
    let count = 0;
    for (const v of model.params.values()) count += v.size;
    return count;
  } finally {
    model.dispose();
  }
}

/** Builds a fresh model for a run from the session's base weights (fc replaced when class counts differ). */
export function buildRunModel(weights: BaseWeights, numClasses: number, seed: number): ResNet50 {
  const model = buildResNet50({ numClasses, seed });
  try {
    if (weights.tensors) loadTorchvisionStateDict(model, weights.tensors, { numClasses });
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

type Resolved = Omit<BaseWeights, 'info' | 'classes'> & {
  source: WeightsInfo['source'];
  label: string;
  classes?: readonly string[] | null;
  notes?: readonly string[];
};

/** Class names an Expression Lab export stored beside its weights, or null. */
function classesFrom(text: string | undefined): string[] | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as unknown;
    const list = Array.isArray(value) ? value : (value as { classes?: unknown }).classes;
    return Array.isArray(list) && list.every((c) => typeof c === 'string') ? list : null;
  } catch {
    return null;
  }
}

async function resolveTensors(command: CommandOf<'weights/load'>, session: Session, post: Post): Promise<Resolved> {
  const request = command.request;
  switch (request.kind) {
    case 'random':
      return {
        tensors: null,
        seed: request.seed,
        source: 'random-init',
        label: `Random initialisation (seed ${request.seed}) — NOT pretrained`,
      };
    case 'file': {
      const { tensors, metadata, notes } = readWeightsFile(request.name, new Uint8Array(request.data));
      return {
        tensors,
        seed: 0,
        source: 'dropped-file',
        label: `${request.name} (dropped file)`,
        classes: classesFrom(metadata.classes),
        notes,
      };
    }
    case 'tfjs': {
      const card = request.files.find((f) => f.name.endsWith('expression-lab.json'));
      const classes = card ? classesFrom(new TextDecoder().decode(card.data)) : null;
      return {
        tensors: await readTfjsLayersFiles(request.files),
        seed: 0,
        source: 'dropped-file',
        label: 'TensorFlow.js model (dropped files)',
        classes,
      };
    }
    case 'pretrained': {
      const cached = await readCachedWeights(request.url);
      if (cached)
        return {
          tensors: parseSafetensors(cached).tensors,
          seed: 0,
          source: 'pretrained-cache',
          label: 'ImageNet-pretrained ResNet50 (from this browser’s cache)',
        };
      const local = await fetch(new URL(LOCAL_MODEL_PATH, session.baseUrl)).catch(() => null);
      if (local?.ok && (local.headers.get('content-type') ?? '').includes('json')) {
        const tensors = await readLocalTfjsModel(new URL(LOCAL_MODEL_PATH, session.baseUrl), await local.arrayBuffer());
        return { tensors, seed: 0, source: 'pretrained-local', label: 'ImageNet-pretrained ResNet50 (local copy from `npm run weights`)' };
      }
      if (!request.allowDownload) throw new Error('No pretrained weights are cached here and downloading was not allowed.');
      const bytes = await downloadWithProgress(request.url, (loadedBytes, totalBytes) =>
        post({ type: 'weights/progressed', requestId: command.requestId, loadedBytes, totalBytes, phase: 'downloading' }),
      );
      return {
        tensors: parseSafetensors(bytes).tensors,
        seed: 0,
        source: 'pretrained-download',
        label: 'ImageNet-pretrained ResNet50 (downloaded)',
      };
    }
  }
}

async function readLocalTfjsModel(modelUrl: URL, modelJson: ArrayBuffer): Promise<Map<string, HostTensor>> {
  const manifest = JSON.parse(new TextDecoder().decode(modelJson)) as { weightsManifest: { paths: string[] }[] };
  const files = [{ name: 'model.json', data: modelJson }];
  for (const group of manifest.weightsManifest) {
    for (const path of group.paths) {
      const response = await fetch(new URL(path, modelUrl));
      if (!response.ok)
        throw new Error(`The local model's weight file ${path} is missing (HTTP ${response.status}); run \`npm run weights\` again.`);
      files.push({ name: path, data: await response.arrayBuffer() });
    }
  }
  return readTfjsLayersFiles(files);
}

/** Handles `weights/load`: resolves the tensors, validates them against ResNet50, keeps them as the session's base. */
export async function loadWeights(command: CommandOf<'weights/load'>, session: Session, post: Post): Promise<void> {
  const resolved = await resolveTensors(command, session, post);
  post({ type: 'weights/progressed', requestId: command.requestId, loadedBytes: 0, totalBytes: null, phase: 'converting' });
  const info: WeightsInfo = {
    source: resolved.source,
    label: resolved.label,
    pretrained: resolved.source.startsWith('pretrained'),
    parameterCount: parameterCount(resolved.tensors),
    fcClasses: classCountOf(resolved.tensors, 0) || null,
    notes: resolved.notes ?? [],
  };
  session.weights = { info, tensors: resolved.tensors, seed: resolved.seed, classes: resolved.classes ?? null };
  post({ type: 'weights/loaded', requestId: command.requestId, info });
}
