/**
 * Runs the PyTorch golden checks of the ResNet50 (forward, gradients, one SGD step of the
 * discriminative regime) on the backend named in `?backend=`, in a real browser. WASM starts as the
 * app starts it (src/ml/backend.ts: the lab's CPU kernels), WebGPU with the lab's WebGPU kernels, with `?cpu=simd|fma` forcing their
 * instruction set. The result lands in `window.__golden` for tests/e2e/golden.test.ts to assert on.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { chooseBackend } from '../../../src/ml/backend.ts';
import type { CpuVariantChoice } from '../../../src/ml/cpu/variant.ts';
import { registerWebGpuTrainingKernels } from '../../../src/ml/webgpu/register.ts';
import { buildParamGroups, trainableVariables } from '../../../src/ml/train/param-groups.ts';
import { MomentumSgd } from '../../../src/ml/train/sgd.ts';
import { trainStep } from '../../../src/ml/train/step.ts';
import { compareToSummary, loadGolden } from '../../../src/ml/testing/golden.ts';
import { buildGoldenResNet50, goldenInput } from '../../../src/ml/testing/golden-model.ts';

/**
 * Torch-layout values of a tfjs tensor, read asynchronously: on WebGPU a synchronous read
 * (dataSync) goes through a canvas that a --disable-gpu Chromium cannot give it.
 */
async function torchLayoutData(name: string, t: tf.Tensor): Promise<Float32Array> {
  const torch = tf.tidy(() => (t.rank === 4 ? t.transpose([3, 2, 0, 1]) : name === 'fc.weight' ? t.transpose([1, 0]) : t.clone()));
  const data = (await torch.data()) as Float32Array;
  torch.dispose();
  return data;
}

declare global {
  interface Window {
    __golden: Promise<Record<string, number | string>>;
  }
}

async function run(): Promise<Record<string, number | string>> {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') ?? 'webgpu';
  const errors: Record<string, number | string> = {};
  if (backend === 'wasm') {
    const info = await chooseBackend('wasm', `${location.origin}/`, { cpuVariant: (params.get('cpu') ?? 'auto') as CpuVariantChoice });
    errors.kernels = info.adapter;
    errors.threads = String(info.threads);
  } else {
    // WebGPU as the app runs it: the lab's WebGPU kernels over tfjs-webgpu's.
    if (backend === 'webgpu') registerWebGpuTrainingKernels();
    if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
  }
  await tf.ready();
  const golden = loadGolden();
  errors.backend = tf.getBackend();
  const model = buildGoldenResNet50();
  const x = goldenInput();
  try {
    const evalLogits = tf.tidy(() => model.forward(x, { training: false }));
    const actual = Array.from(await evalLogits.data());
    evalLogits.dispose();
    const expected = golden.evalLogits.flat();
    const scale = Math.max(...expected.map(Math.abs));
    errors.evalLogits = Math.max(...expected.map((e, i) => Math.abs((actual[i] ?? NaN) - e))) / scale;

    const names = Object.keys(golden.train.grads);
    const labels = tf.tensor1d([...golden.meta.labels], 'int32');
    const vars = names.map((n) => model.params.get(n) as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(x, { training: true });
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, golden.meta.numClasses), logits) as tf.Scalar;
    }, vars);
    errors.loss = Math.abs((await value.data())[0]! - golden.train.loss) / Math.abs(golden.train.loss);
    for (const [i, name] of names.entries()) {
      const grad = grads[(vars[i] as tf.Variable).name] as tf.Tensor;
      errors[`grad ${name}`] = compareToSummary(await torchLayoutData(name, grad), golden.train.grads[name]!).maxRel;
    }
    tf.dispose([value, ...Object.values(grads)]);

    // One step of the seed's best regime through the training engine's own step and optimizer.
    // The train-mode forward above moved BN running stats; parameters are what the step reads.
    const regime = golden.regimes.discriminative!;
    const groups = buildParamGroups(model.params, regime.learningRates);
    const optimizer = new MomentumSgd(groups, 0.9);
    const stats = trainStep({
      logits: () => model.forward(x, { training: true }),
      labels,
      classWeights: null,
      trainable: trainableVariables(groups),
      optimizer,
      lrScale: 1,
    });
    await stats.data();
    tf.dispose([stats, labels]);
    optimizer.dispose();
    for (const [name, after] of Object.entries(regime.paramsAfterStep)) {
      errors[`step ${name}`] = compareToSummary(await torchLayoutData(name, model.params.get(name) as tf.Variable), after).maxRel;
    }
  } finally {
    x.dispose();
    model.dispose();
  }
  return errors;
}

window.__golden = run();
