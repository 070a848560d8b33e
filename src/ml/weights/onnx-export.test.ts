import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetPath, missingDataset } from '../../../tests/datasets.ts';
import type { ResNet50 } from '../model.ts';
import { IMAGENET_MEAN, IMAGENET_STD, normalizeImageBatch, PIXEL_SCALE } from '../preprocess.ts';
import { buildGoldenResNet50 } from '../testing/golden-model.ts';
import { useWasmBackend } from '../testing/node-backend.ts';
import { exportTorchvisionStateDict } from './convert-torchvision.ts';
import { resnet50ToOnnx } from './onnx-export.ts';
import { summarizeOnnx } from './onnx-summary.ts';
import ONNX_PROTO from './onnx.proto?raw';

const SIDE = 48;
const COUNT = 6;

/** The first `COUNT` faces of the real FER2013 CSV: 48x48 grayscale, row-major. */
function ferFaces(): Uint8Array[] {
  const rows = readFileSync(datasetPath('fer2013-mini.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1, COUNT + 1);
  return rows.map((row) => Uint8Array.from((row.split(',')[1] ?? '').trim().split(' ').map(Number)));
}

/** Preprocessing as a deployer would do it from the metadata alone: RGB NCHW, (x / scale − mean) / std. */
function nchwFromMetadata(faces: readonly Uint8Array[], meta: Record<string, string>): Float32Array {
  const mean = JSON.parse(meta.mean ?? '[]') as number[];
  const std = JSON.parse(meta.std ?? '[]') as number[];
  const scale = Number(meta.scale);
  const side = Number(meta.input_size);
  const out = new Float32Array(faces.length * 3 * side * side);
  faces.forEach((face, n) => {
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < side * side; i++)
        out[(n * 3 + c) * side * side + i] = (Math.fround((face[i] ?? 0) / scale) - (mean[c] ?? 0)) / (std[c] ?? 1);
  });
  return out;
}

describe.skipIf(missingDataset('fer2013-mini.csv'))('ONNX export in onnxruntime-web', () => {
  let model: ResNet50;
  let bytes: Uint8Array;
  beforeAll(async () => {
    await useWasmBackend();
    model = buildGoldenResNet50();
    bytes = resnet50ToOnnx(await exportTorchvisionStateDict(model), {
      inputSize: SIDE,
      metadata: {
        mean: JSON.stringify(IMAGENET_MEAN),
        std: JSON.stringify(IMAGENET_STD),
        scale: String(PIXEL_SCALE),
        input_size: String(SIDE),
        classes: JSON.stringify(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']),
      },
    });
  }, 120_000);
  afterAll(() => model.dispose());

  it('gives the lab’s logits within 1e-4 on real FER2013 faces, preprocessed from its metadata alone', async () => {
    const faces = ferFaces();
    const lab = tf.tidy(() => {
      const pixels = tf.tensor4d(Uint8Array.from(faces.flatMap((f) => [...f])), [faces.length, SIDE, SIDE, 1], 'int32');
      return model.forward(normalizeImageBatch(pixels), { training: false });
    });
    const labLogits = (await lab.data()) as Float32Array;
    lab.dispose();
    const session = await ort.InferenceSession.create(bytes);
    const input = new ort.Tensor('float32', nchwFromMetadata(faces, summarizeOnnx(bytes, ONNX_PROTO).metadata), [
      faces.length,
      3,
      SIDE,
      SIDE,
    ]);
    const output = (await session.run({ input })).logits;
    expect(output?.dims).toEqual([faces.length, 7]);
    const onnx = output?.data as Float32Array;
    let maxDiff = 0;
    let maxLogit = 0;
    labLogits.forEach((v, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - (onnx[i] ?? NaN)));
      maxLogit = Math.max(maxLogit, Math.abs(v));
    });
    process.stdout.write(
      `ONNX (onnxruntime-web) vs lab (wasm) on ${faces.length} FER2013 faces at ${SIDE} px: max |logit diff| ${maxDiff.toExponential(2)}, max |logit| ${maxLogit.toFixed(3)}\n`,
    );
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    expect(maxLogit, 'logits large enough for the comparison to mean something').toBeGreaterThan(0.1);
    await session.release();
  }, 120_000);

  it('declares opset 17, an NCHW float input of the trained size and the logits output', async () => {
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['logits']);
    const wrongSize = new ort.Tensor('float32', new Float32Array(3 * 64 * 64), [1, 3, 64, 64]);
    await expect(session.run({ input: wrongSize })).rejects.toThrow(/dimension|Got: 64 Expected: 48/i);
    await session.release();
    const summary = summarizeOnnx(bytes, ONNX_PROTO);
    expect(summary).toMatchObject({ irVersion: 8, opset: 17, input: ['batch', 3, SIDE, SIDE], output: ['batch', 7] });
    expect(summary.metadata.input_size).toBe(String(SIDE));
  });
});
