import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTinyModel } from '../ml/train/testing/tiny-model.ts';
import { heatmapOverlay } from '../shared/heatmap.ts';
import { explainImage } from './explain-commands.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('explainImage (the worker side of explain/gradCam and predict --cam)', () => {
  it('explains an image as the model sees it, for the predicted or a picked class, and frees every tensor', async () => {
    const model = buildTinyModel({ numClasses: 3, seed: 4 });
    const pixels = Uint8Array.from({ length: 20 * 12 }, (_, i) => (i * 37) % 256);
    const image = { width: 20, height: 12, channels: 1 as const, pixels };
    const before = tf.memory().numTensors;
    const predicted = await explainImage(model, image, { inputSize: 32, resizeMode: 'stretch' }, null);
    const other = await explainImage(model, image, { inputSize: 32, resizeMode: 'stretch' }, (predicted.cam.classIndex + 1) % 3);
    expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
    expect(predicted.cam.classIndex).toBe(predicted.probabilities.indexOf(Math.max(...predicted.probabilities)));
    expect(other.cam.classIndex).toBe((predicted.cam.classIndex + 1) % 3);
    expect([predicted.input.width, predicted.input.height, predicted.input.channels]).toEqual([32, 32, 3]);
    expect(predicted.cam.upsampled).toHaveLength(32 * 32);
    expect(predicted.cam.map).toHaveLength(predicted.cam.width * predicted.cam.height);
    expect(predicted.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Math.min(...predicted.cam.map)).toBeGreaterThanOrEqual(0);
    expect(heatmapOverlay(predicted.input, predicted.cam.upsampled, 0.5)).toHaveLength(32 * 32 * 4);
    model.dispose();
  });
});
