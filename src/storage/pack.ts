/** Packing the worker's in-memory data into the stored shapes and back, without copying pixels twice. */
import type { Dataset, StoredImage } from '../data/dataset.ts';
import type { SplitName } from '../shared/types.ts';
import type { PackedSplit, StoredDataset, TensorEntry } from './schema.ts';

const META = 5;
const SPLITS: readonly SplitName[] = ['train', 'validation', 'test'];

function packSplit(images: readonly StoredImage[]): PackedSplit {
  const pixels = new Uint8Array(images.reduce((n, im) => n + im.pixels.byteLength, 0));
  const meta = new Int32Array(images.length * META);
  let offset = 0;
  images.forEach((im, i) => {
    pixels.set(im.pixels, offset);
    meta.set([im.width, im.height, im.channels, im.classIndex, offset], i * META);
    offset += im.pixels.byteLength;
  });
  return { pixels, meta, paths: images.map((im) => im.path) };
}

function unpackSplit(split: PackedSplit): StoredImage[] {
  const out: StoredImage[] = [];
  for (let i = 0; i < split.paths.length; i++) {
    const [width = 0, height = 0, channels = 1, classIndex = 0, offset = 0] = split.meta.subarray(i * META, i * META + META);
    const pixels = split.pixels.subarray(offset, offset + width * height * channels);
    out.push({ width, height, channels: channels as 1 | 3, classIndex, pixels, path: split.paths[i] ?? '' });
  }
  return out;
}

/** The dataset as one packed record (one buffer per split). */
export function packDataset(dataset: Dataset): StoredDataset {
  const splits = {
    train: packSplit(dataset.splits.train),
    validation: packSplit(dataset.splits.validation),
    test: packSplit(dataset.splits.test),
  };
  return { key: 'current', name: dataset.name, classes: dataset.classes, summary: dataset.summary, splits };
}

/** The stored record as the worker's Dataset again; pixels are views into the stored buffers. */
export function unpackDataset(stored: StoredDataset): Dataset {
  const splits = {
    train: unpackSplit(stored.splits.train),
    validation: unpackSplit(stored.splits.validation),
    test: unpackSplit(stored.splits.test),
  };
  return { name: stored.name, classes: stored.classes, summary: stored.summary, splits };
}

/** Bytes of a stored dataset's pixels. */
export function packedBytes(stored: Pick<StoredDataset, 'splits'>): number {
  return stored.splits.train.pixels.byteLength + stored.splits.validation.pixels.byteLength + stored.splits.test.pixels.byteLength;
}

/** Identifies a dataset well enough to refuse resuming a run on a different one. */
export function datasetKeyOf(dataset: Pick<Dataset, 'name' | 'classes' | 'splits'>): string {
  const sizes = SPLITS.map((s) => dataset.splits[s].length).join('/');
  return `${dataset.name}|${dataset.classes.join(',')}|${sizes}`;
}

/** The name a dataset key was made from (see datasetKeyOf). */
export function datasetNameOfKey(key: string): string {
  return key.split('|')[0] ?? key;
}

/** Named float32 arrays → one buffer and its table of contents. */
export function packTensors(named: readonly { name: string; shape: readonly number[]; values: Float32Array }[]): {
  tensors: TensorEntry[];
  data: Float32Array;
} {
  const data = new Float32Array(named.reduce((n, t) => n + t.values.length, 0));
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const t of named) {
    data.set(t.values, offset);
    tensors.push({ name: t.name, shape: t.shape, offset, length: t.values.length });
    offset += t.values.length;
  }
  return { tensors, data };
}

/** A checkpoint's tensors by name, as views into its buffer. */
export function unpackTensors(checkpoint: {
  tensors: readonly TensorEntry[];
  data: Float32Array;
}): Map<string, { shape: readonly number[]; values: Float32Array }> {
  const out = new Map<string, { shape: readonly number[]; values: Float32Array }>();
  for (const t of checkpoint.tensors) {
    if (t.offset + t.length > checkpoint.data.length) throw new Error(`checkpoint tensor ${t.name} runs past the end of its data`);
    out.set(t.name, { shape: t.shape, values: checkpoint.data.subarray(t.offset, t.offset + t.length) });
  }
  return out;
}
