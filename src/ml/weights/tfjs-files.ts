import type { HostTensor } from './safetensors.ts';
import { fromLayersModel, loadLayersModelFromFiles } from './tfjs-layers-format.ts';
import { missingShards } from './weights-messages.ts';
import type * as tf from '@tensorflow/tfjs';

/** A file of a TensorFlow.js layers model as dropped or fetched: `model.json` or a weight shard. */
export interface NamedBuffer {
  readonly name: string;
  readonly data: ArrayBuffer;
}

const baseName = (path: string): string => path.split('/').pop() ?? path;

/**
 * Reads a TensorFlow.js layers model (`model.json` + its shards, matched by file name) written by
 * Expression Lab's export or `npm run weights`, and returns its weights as a torchvision
 * state_dict (torch layouts). Every missing shard is named in the error.
 */
export async function readTfjsLayersFiles(files: readonly NamedBuffer[]): Promise<Map<string, HostTensor>> {
  const manifestFile = files.find((f) => baseName(f.name) === 'model.json') ?? files.find((f) => f.name.endsWith('.json'));
  if (!manifestFile) throw new Error('No model.json among the dropped files: drop model.json together with its weight files (.bin).');
  const modelJson = JSON.parse(new TextDecoder().decode(manifestFile.data)) as tf.io.ModelJSON;
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new Error(`${manifestFile.name} is not a TensorFlow.js layers model (no modelTopology / weightsManifest).`);
  }
  const shards = modelJson.weightsManifest.flatMap((group) => group.paths);
  const found = shards.map((path) => files.find((f) => baseName(f.name) === baseName(path)));
  const missing = shards.filter((_, i) => !found[i]);
  if (missing.length > 0) throw new Error(missingShards(baseName(manifestFile.name), missing));
  const buffers = found.map((file) => new Uint8Array((file as NamedBuffer).data));
  const joined = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of buffers) {
    joined.set(b, offset);
    offset += b.byteLength;
  }
  const layersModel = await loadLayersModelFromFiles({ modelJson, weightsBin: joined.buffer });
  try {
    return await fromLayersModel(layersModel);
  } finally {
    layersModel.dispose();
  }
}
