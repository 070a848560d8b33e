import * as tf from '@tensorflow/tfjs';
import { createBrowserImageDecoder } from '../data/browser-decoder.ts';
import type { ResNet50 } from '../ml/model.ts';
import { imageLogits, predictProbabilities } from '../ml/train/evaluate.ts';
import type { CommandOf, PredictedFile } from '../shared/protocol.ts';
import type { RawImage } from '../shared/types.ts';
import { explainImage, overlayPng } from './explain-commands.ts';
import { loadRunModel } from './persistence.ts';
import { newestFinishedRunId } from './runs.ts';
import type { Post, Session } from './session.ts';
import { buildRunModel, classCountOf } from './weights-commands.ts';

/** The model a prediction uses and who disposes it: a run's own, or a transient one from the base weights. */
async function modelFor(
  session: Session,
  runId: string | null,
): Promise<{ model: ResNet50; classes: readonly string[]; transient: boolean }> {
  const id = runId ?? newestFinishedRunId(session.runs);
  if (id) {
    const run = await loadRunModel(session, id);
    return { model: run.model, classes: run.classes, transient: false };
  }
  const weights = session.weights;
  if (!weights) throw new Error('Load weights (or train a run) before predicting.');
  const numClasses = classCountOf(weights.tensors);
  const classes = weights.classes?.length === numClasses ? weights.classes : Array.from({ length: numClasses }, (_, i) => String(i));
  return { model: buildRunModel(weights, numClasses, weights.seed), classes, transient: true };
}

/** `3-happy.png.gradcam.png` for the fourth file `faces/happy.png`: flat, unique, and still says which image. */
function overlayName(path: string, index: number): string {
  const base = path.split(/[\\/]/).pop() ?? 'image';
  return `${index}-${base.replace(/[^\w.-]+/g, '_')}.gradcam.png`;
}

/** The Grad-CAM part of a predicted file: the map of the top class (rows), and its overlay PNG. */
async function camOf(
  model: ResNet50,
  image: RawImage,
  inputSize: number,
  classIndex: number,
  label: string,
  name: string,
): Promise<Pick<PredictedFile, 'cam' | 'overlay'>> {
  const explained = await explainImage(model, image, { inputSize, resizeMode: 'stretch' }, classIndex);
  const { map, width, height } = explained.cam;
  const rows = Array.from({ length: height }, (_, y) => Array.from(map.subarray(y * width, (y + 1) * width)));
  return {
    cam: { classIndex, label, map: rows },
    overlay: { name, mimeType: 'image/png', data: await overlayPng(explained) },
  };
}

/**
 * `predict/files`: decodes each file with the app's own decoder and preprocessing (resize to
 * `inputSize`, ImageNet normalisation; a 224x224 image at inputSize 224 is used as it is) and
 * returns logits, probabilities and the top class (with `cam`, its Grad-CAM map and overlay). A file
 * that fails to decode gets an `error`.
 */
export async function predictFiles(command: CommandOf<'predict/files'>, session: Session, post: Post): Promise<void> {
  const { model, classes, transient } = await modelFor(session, command.runId);
  const decode = createBrowserImageDecoder();
  const results: PredictedFile[] = [];
  try {
    for (const file of command.files) {
      let image;
      try {
        image = await decode(new Uint8Array(file.data), file.name);
      } catch (err) {
        results.push({ name: file.name, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const logitsTensor = tf.tidy(() =>
        imageLogits(model, [image], { inputSize: command.inputSize, resizeMode: 'stretch' })(Int32Array.of(0)),
      );
      const logits = Array.from(await logitsTensor.data());
      logitsTensor.dispose();
      const max = Math.max(...logits);
      const exp = logits.map((v) => Math.exp(v - max));
      const sum = exp.reduce((a, b) => a + b, 0);
      const probabilities = exp.map((v) => v / sum);
      const index = probabilities.indexOf(Math.max(...probabilities));
      const label = classes[index] ?? String(index);
      results.push({
        name: file.name,
        logits,
        probabilities,
        top: { index, label, probability: probabilities[index] ?? 0 },
        ...(command.cam ? await camOf(model, image, command.inputSize, index, label, overlayName(file.name, results.length)) : {}),
      });
    }
  } finally {
    if (transient) model.dispose();
  }
  post({ type: 'predict/filesDone', requestId: command.requestId, classes, results });
}

/** `predict/image`: class probabilities of a trained run (or the newest finished one when runId is null). */
export async function predictImage(command: CommandOf<'predict/image'>, session: Session, post: Post): Promise<void> {
  const runId = command.runId ?? newestFinishedRunId(session.runs);
  if (!runId) throw new Error('Train a run first: predictions come from a trained model.');
  const run = await loadRunModel(session, runId);
  const probabilities = await predictProbabilities(run.model, command.image, run.config.inputSize, run.config.resizeMode);
  post({ type: 'predict/done', requestId: command.requestId, probabilities, classes: run.classes });
}
