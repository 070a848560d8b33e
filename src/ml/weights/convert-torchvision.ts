import * as tf from '@tensorflow/tfjs';
import type { ResNet50 } from '../model.ts';
import { RESNET50_FEATURES, resnet50StateDictSpec, type TensorSpec } from '../resnet50-spec.ts';
import { recogniseArchitecture } from './architecture.ts';
import type { HostTensor } from './safetensors.ts';
import { wrongArchitecture } from './weights-messages.ts';

/** What {@link loadTorchvisionStateDict} did. */
export interface LoadReport {
  /**
   * True when the file's fc has another class count than the model (ImageNet's 1000, or a
   * checkpoint trained on other classes): it was left out and the model kept its own new fc.
   */
  readonly replacedFc: boolean;
  /** Output classes of the file's fc (rows of `fc.weight`). */
  readonly fileClasses: number | null;
  /** Tensors copied into the model. */
  readonly tensors: number;
  /** Keys present in the file and deliberately ignored (`num_batches_tracked`, a replaced fc). */
  readonly ignored: readonly string[];
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * torchvision and timm (`resnet50.tv_in1k`, `resnet50.a1_in1k`) share these key names; a model
 * saved from nn.DataParallel prefixes `module.`, which is the only rewrite needed.
 */
function canonicalName(key: string): string {
  return key.startsWith('module.') ? key.slice('module.'.length) : key;
}

/** Why a state dict is not torchvision's ResNet50: what it looks like, and its first missing and first unexpected keys. */
function architectureProblem(
  byName: ReadonlyMap<string, HostTensor>,
  missing: readonly string[],
  unexpected: readonly string[],
  misshapen: { name: string; shape: readonly number[]; expected: readonly number[] } | undefined,
): string {
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`the first missing key is "${missing[0]}" (${missing.length} missing)`);
  if (unexpected.length > 0) parts.push(`the first unexpected key is "${unexpected[0]}" (${unexpected.length} unexpected)`);
  if (misshapen) parts.push(`"${misshapen.name}" has shape ${fmt(misshapen.shape)}, not ${fmt(misshapen.expected)}`);
  const found = recogniseArchitecture(byName);
  return wrongArchitecture(found?.endsWith('ResNet50') ? null : found, parts.join('; '), missing.length === 0 || unexpected.length === 0);
}

/** Torch layout → this project's tf layout, as a new tensor (caller disposes). */
function toTfLayout(spec: TensorSpec, t: HostTensor): tf.Tensor {
  return tf.tidy(() => {
    const x = tf.tensor(t.data, [...t.shape], 'float32');
    if (spec.kind === 'conv') return x.transpose([2, 3, 1, 0]); // OIHW → HWIO
    if (spec.kind === 'fc-weight') return x.transpose([1, 0]); // [out, in] → [in, out]
    return x;
  });
}

/**
 * Copies a torchvision ResNet50 state_dict (torch layouts, float32) into `model`. Everything is
 * validated before anything is assigned, so a bad file leaves the model untouched: a missing
 * tensor, a wrong shape or an unexpected key throws an Error naming the tensor (and both shapes).
 * Keys are checked first: weights of another architecture are refused naming the first missing
 * and the first unexpected key. When the file's fc has another class count than the model (ImageNet's
 * 1000-way head, or a checkpoint of other classes), the model keeps its own (freshly initialised)
 * fc and the report says `replacedFc`.
 */
export function loadTorchvisionStateDict(
  model: ResNet50,
  tensors: ReadonlyMap<string, HostTensor>,
  options: { readonly numClasses: number },
): LoadReport {
  if (options.numClasses !== model.numClasses) {
    throw new Error(`numClasses ${options.numClasses} does not match the model's ${model.numClasses}`);
  }
  const { toLoad, report } = planLoad(tensors, model.numClasses);
  for (const [spec, t] of toLoad) {
    const target = model.params.get(spec.name) ?? model.buffers.get(spec.name);
    if (!target) throw new Error(`model has no variable "${spec.name}"`);
    const value = toTfLayout(spec, t);
    target.assign(value);
    value.dispose();
  }
  return report;
}

/**
 * Checks a state dict against ResNet50 with `numClasses` outputs without building a model (so a
 * wrong file is refused at once): throws the same Error {@link loadTorchvisionStateDict} would.
 */
export function checkTorchvisionStateDict(tensors: ReadonlyMap<string, HostTensor>, numClasses: number): void {
  planLoad(tensors, numClasses);
}

/** What to copy where, every name and shape checked; throws naming what does not fit. */
function planLoad(
  tensors: ReadonlyMap<string, HostTensor>,
  numClasses: number,
): { toLoad: Array<[TensorSpec, HostTensor]>; report: LoadReport } {
  const byName = new Map<string, HostTensor>();
  const ignored: string[] = [];
  for (const [key, t] of tensors) {
    const name = canonicalName(key);
    if (name.endsWith('.num_batches_tracked')) ignored.push(key);
    else byName.set(name, t);
  }
  const specs = resnet50StateDictSpec(numClasses);
  const fc = byName.get('fc.weight');
  const fileClasses = fc?.shape.length === 2 && fc.shape[1] === RESNET50_FEATURES ? (fc.shape[0] ?? null) : null;
  // A backbone saved without its head (no fc at all) gets a new head too.
  const headless = !byName.has('fc.weight') && !byName.has('fc.bias');
  const replacedFc = headless || (fileClasses !== null && fileClasses !== numClasses);
  const expected = new Set(specs.map((s) => s.name));
  const missing = specs.filter((s) => !byName.has(s.name) && !(headless && s.name.startsWith('fc.'))).map((s) => s.name);
  const unexpected = [...byName.keys()].filter((k) => !expected.has(k));
  if (missing.length > 0 || unexpected.length > 0) {
    const misshapen = specs
      .map((s) => ({ name: s.name, shape: byName.get(s.name)?.shape ?? s.shape, expected: s.shape }))
      .find((s) => !sameShape(s.shape, s.expected) && !(replacedFc && s.name.startsWith('fc.')));
    throw new Error(architectureProblem(byName, missing, unexpected, misshapen));
  }
  const toLoad: Array<[TensorSpec, HostTensor]> = [];
  for (const spec of specs) {
    if (replacedFc && spec.name.startsWith('fc.')) {
      if (!headless) ignored.push(spec.name);
      continue;
    }
    const t = byName.get(spec.name) as HostTensor;
    if (!sameShape(t.shape, spec.shape)) {
      throw new Error(`tensor "${spec.name}" has shape ${fmt(t.shape)} in the weights file but the model expects ${fmt(spec.shape)}`);
    }
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) throw new Error(`tensor "${spec.name}" has ${t.data.length} values for shape ${fmt(t.shape)}`);
    toLoad.push([spec, t]);
  }
  return { toLoad, report: { replacedFc, fileClasses, tensors: toLoad.length, ignored } };
}

/**
 * The inverse of {@link loadTorchvisionStateDict}: every parameter and BN buffer in torchvision's
 * state_dict order and layouts (HWIO → OIHW, fc [in, out] → [out, in]). `num_batches_tracked` is
 * left out: PyTorch's BatchNorm fills it with 0 when a state_dict without version metadata
 * lacks it, so `resnet50(num_classes=k).load_state_dict(...)` accepts the result as it is.
 * Reads back asynchronously so a GPU backend is not stalled.
 */
export async function exportTorchvisionStateDict(model: ResNet50): Promise<Map<string, HostTensor>> {
  const out = new Map<string, HostTensor>();
  for (const spec of resnet50StateDictSpec(model.numClasses)) {
    const v = model.params.get(spec.name) ?? model.buffers.get(spec.name);
    if (!v) throw new Error(`model has no variable "${spec.name}"`);
    const torchLayout = tf.tidy(() =>
      spec.kind === 'conv' ? v.transpose([3, 2, 0, 1]) : spec.kind === 'fc-weight' ? v.transpose([1, 0]) : v.clone(),
    );
    const data = (await torchLayout.data()) as Float32Array;
    torchLayout.dispose();
    out.set(spec.name, { shape: [...spec.shape], data });
  }
  return out;
}
