/** `explain/gradCam`, and the Grad-CAM of `predict/files --cam`: where a model looks. */
import * as tf from '@tensorflow/tfjs';
import { computeGradCam } from '../ml/interpret/grad-cam.ts';
import type { ResNet50 } from '../ml/model.ts';
import { normalizeImageBatch } from '../ml/preprocess.ts';
import { loadPixels } from '../ml/train/batches.ts';
import { heatmapOverlay } from '../shared/heatmap.ts';
import type { CommandOf } from '../shared/protocol.ts';
import type { GradCamMap, RawImage, TrainConfig } from '../shared/types.ts';
import { loadRunModel } from './persistence.ts';
import { newestFinishedRunId } from './runs.ts';
import type { Post, Session } from './session.ts';

/** A Grad-CAM with the image as the model saw it and the class probabilities. */
export interface ExplainedImage {
  readonly input: RawImage;
  readonly cam: GradCamMap;
  readonly probabilities: number[];
}

/**
 * Grad-CAM of `image` for `classIndex` (null: the predicted class), preprocessed exactly as in
 * training (resize to the input size, ImageNet normalisation), BN in inference mode.
 */
export async function explainImage(
  model: ResNet50,
  image: RawImage,
  config: Pick<TrainConfig, 'inputSize' | 'resizeMode'>,
  classIndex: number | null,
): Promise<ExplainedImage> {
  const [pixels, input] = tf.tidy(() => {
    const resized = loadPixels([image], config.inputSize, config.resizeMode);
    return [tf.cast(tf.clipByValue(tf.round(resized), 0, 255), 'int32'), normalizeImageBatch(resized)];
  });
  try {
    const cam = await computeGradCam(model, input, classIndex);
    const rgb = Uint8Array.from(await pixels.data());
    const max = Math.max(...cam.logits);
    const exp = Array.from(cam.logits, (v) => Math.exp(v - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    return {
      input: { width: cam.inputWidth, height: cam.inputHeight, channels: 3, pixels: rgb },
      cam: { classIndex: cam.classIndex, height: cam.height, width: cam.width, map: cam.map, upsampled: cam.upsampled },
      probabilities: exp.map((v) => v / sum),
    };
  } finally {
    tf.dispose([pixels, input]);
  }
}

/** The overlay (opacity 0.5) as PNG bytes; needs OffscreenCanvas (every browser worker has it). */
export async function overlayPng(explained: ExplainedImage): Promise<ArrayBuffer> {
  const { input, cam } = explained;
  if (typeof OffscreenCanvas === 'undefined') throw new Error('Grad-CAM overlays need OffscreenCanvas (a browser).');
  const canvas = new OffscreenCanvas(input.width, input.height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas context for the Grad-CAM overlay');
  context.putImageData(new ImageData(heatmapOverlay(input, cam.upsampled, 0.5), input.width, input.height), 0, 0);
  return (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer();
}

/** `explain/gradCam`: Grad-CAM of one image with a finished run's model. */
export async function explainGradCam(command: CommandOf<'explain/gradCam'>, session: Session, post: Post): Promise<void> {
  const runId = command.runId ?? newestFinishedRunId(session.runs);
  if (!runId) throw new Error('Train a run first: Grad-CAM explains a trained model.');
  const run = await loadRunModel(session, runId);
  const explained = await explainImage(run.model, command.image, run.config, command.classIndex);
  post({ type: 'explain/gradCamComputed', requestId: command.requestId, classes: run.classes, ...explained });
}
