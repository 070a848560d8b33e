import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResNet50 } from '../model.ts';
import { buildResNet50 } from '../resnet50.ts';
import { buildGoldenResNet50, goldenInput } from '../testing/golden-model.ts';
import { useWasmBackend } from '../testing/node-backend.ts';
import { exportTorchvisionStateDict, loadTorchvisionStateDict } from './convert-torchvision.ts';
import { fromLayersModel, loadLayersModelFromFiles, saveLayersModel, toLayersModel } from './tfjs-layers-format.ts';

/** max |a − b| / max |b|. */
function relError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  b.forEach((v, i) => {
    diff = Math.max(diff, Math.abs((a[i] ?? NaN) - v));
    scale = Math.max(scale, Math.abs(v));
  });
  return diff / scale;
}

describe('tf.layers export', () => {
  let model: ResNet50;
  let x: tf.Tensor4D;
  let reference: Float32Array;
  beforeAll(async () => {
    await useWasmBackend();
    model = buildGoldenResNet50();
    x = goldenInput();
    reference = tf.tidy(() => model.forward(x, { training: false }).dataSync() as Float32Array);
  });
  afterAll(() => {
    model.dispose();
    x.dispose();
  });

  it('predicts what the functional model does, before and after a model.json round trip', async () => {
    const before = tf.memory().numTensors;
    const layersModel = toLayersModel(model, 64);
    expect(layersModel.getLayer('layer2.0.downsample.0').getWeights()[0]!.shape).toEqual([1, 1, 256, 512]);
    const direct = tf.tidy(() => (layersModel.predict(x) as tf.Tensor).dataSync() as Float32Array);
    console.info(`tf.layers vs functional logits: ${relError(direct, reference).toExponential(2)} relative`);
    expect(relError(direct, reference)).toBeLessThan(1e-4);

    const files = await saveLayersModel(layersModel);
    expect(files.modelJson.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    // Parameters plus two BN buffers per channel (26,560 BN channels in ResNet50), float32.
    expect(files.weightsBin.byteLength).toBe((23_522_375 + 2 * 26_560) * 4);
    // Through JSON text, as model.json on disk would be.
    const loaded = await loadLayersModelFromFiles({ ...files, modelJson: JSON.parse(JSON.stringify(files.modelJson)) as tf.io.ModelJSON });
    const reloaded = tf.tidy(() => (loaded.predict(x) as tf.Tensor).dataSync() as Float32Array);
    expect(Array.from(reloaded)).toEqual(Array.from(direct));

    const back = await fromLayersModel(loaded);
    const original = await exportTorchvisionStateDict(model);
    expect([...back.keys()].sort()).toEqual([...original.keys()].sort());
    const fresh = buildResNet50({ numClasses: 7, seed: 11 });
    loadTorchvisionStateDict(fresh, back, { numClasses: 7 });
    const roundTrip = tf.tidy(() => fresh.forward(x, { training: false }).dataSync() as Float32Array);
    expect(Array.from(roundTrip)).toEqual(Array.from(reference));
    fresh.dispose();
    layersModel.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
