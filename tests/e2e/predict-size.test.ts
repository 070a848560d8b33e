/**
 * `lab predict` runs weights at the input size recorded with them: a model trained and exported at
 * 64 px is run at 64 px without --size, and gives the logits torchvision gives on the same 64 px image.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { encodePng } from '../../src/data/testing/png.ts';
import { ROOT, lab } from './helpers.ts';

const PYTHON = '/usr/bin/python3';
const SIDE = 64;

/** Why the PyTorch comparison cannot run here, or undefined when torch and torchvision import. */
function torchMissing(): string | undefined {
  try {
    execFileSync(PYTHON, ['-c', 'import torch, torchvision'], { stdio: 'ignore', timeout: 120_000 });
    return undefined;
  } catch {
    return `${PYTHON} cannot import torch and torchvision: install them (Debian: apt-get install python3-torch python3-torchvision) to compare with PyTorch`;
  }
}

/** A 64×64 colour image (RGB, row-major HWC) with smooth gradients and some texture. */
const PIXELS = Uint8Array.from({ length: SIDE * SIDE * 3 }, (_, i) => {
  const [x, y, c] = [Math.floor(i / 3) % SIDE, Math.floor(i / 3 / SIDE), i % 3];
  return Math.round(127 + 90 * Math.sin((x + 2 * c) / 7) * Math.cos((y - 3 * c) / 9) + ((x * 7 + y * 13 + c * 5) % 11) * 3);
});

type Prediction = { name: string; logits: number[] };

describe('lab predict at the input size recorded with the weights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expression-lab-predict-size-'));
  const image = join(dir, 'face-64.png');
  const exported = join(dir, 'export', 'linear');
  // Exports are named after their run: `lab train` here makes run 1, a linear probe.
  const safetensors = join(exported, 'safetensors', 'run-1-linear.safetensors');
  let byDefault: Prediction;

  before(async () => {
    writeFileSync(join(dir, 'tiny.zip'), folderZip({ perClass: { train: 2, val: 1 } }));
    writeFileSync(image, encodePng(SIDE, SIDE, 3, PIXELS));
    await lab([
      'train',
      join(dir, 'tiny.zip'),
      '--regime',
      'linear',
      '--epochs',
      '1',
      '--batch',
      '8',
      '--size',
      String(SIDE),
      '--backend',
      'wasm',
      '--export',
      join(dir, 'export'),
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('without --size the .safetensors and the TensorFlow.js export run at 64 px, as --size 64 does, and not as 224 px', async () => {
    const run = async (weights: string, ...extra: string[]) => {
      const { lines, stderr } = await lab(['predict', '--weights', weights, ...extra, image]);
      return { prediction: lines[0] as Prediction, stderr };
    };
    const fromFile = await run(safetensors);
    byDefault = fromFile.prediction;
    assert.match(fromFile.stderr, /input size 64 px \(the file’s expression-lab metadata; --size to override\)/);
    assert.equal(byDefault.logits.length, 7);
    const fromTfjs = await run(join(exported, 'tfjs'));
    assert.match(fromTfjs.stderr, /input size 64 px \(expression-lab\.json/);
    const at64 = await run(safetensors, '--size', '64');
    assert.deepEqual(at64.prediction.logits, byDefault.logits);
    const scale = Math.max(...byDefault.logits.map(Math.abs));
    for (const [c, v] of fromTfjs.prediction.logits.entries())
      assert.ok(Math.abs(v - (byDefault.logits[c] as number)) <= 1e-4 * scale + 1e-6);
    const at224 = await run(safetensors, '--size', '224');
    assert.notDeepEqual(at224.prediction.logits, byDefault.logits, 'the size matters, so the default is what made them equal');
  });

  test('the ONNX export beside it runs in onnxruntime-web with the same logits, fed as its metadata says', async () => {
    assert.ok(byDefault, 'the lab predict test left logits to compare with');
    const ort = await import('onnxruntime-web');
    const { summarizeOnnx } = await import('../../src/ml/weights/onnx-summary.ts');
    const bytes = readFileSync(join(exported, 'onnx', 'run-1-linear.onnx'));
    const { metadata, opset, input } = summarizeOnnx(bytes, readFileSync(join(ROOT, 'src', 'ml', 'weights', 'onnx.proto'), 'utf8'));
    assert.equal(opset, 17);
    assert.deepEqual(input, ['batch', 3, SIDE, SIDE]);
    assert.equal(metadata.input_size, String(SIDE));
    assert.equal(metadata.regime, 'linear');
    assert.ok(metadata.run_id, 'the run id is recorded');
    assert.equal(JSON.parse(metadata.classes ?? '[]').length, 7);
    const [mean, std, divisor] = [
      JSON.parse(metadata.mean ?? '') as number[],
      JSON.parse(metadata.std ?? '') as number[],
      Number(metadata.scale),
    ];
    const nchw = new Float32Array(3 * SIDE * SIDE);
    for (let c = 0; c < 3; c++)
      for (let i = 0; i < SIDE * SIDE; i++)
        nchw[c * SIDE * SIDE + i] = (Math.fround((PIXELS[i * 3 + c] as number) / divisor) - (mean[c] as number)) / (std[c] as number);
    const session = await ort.InferenceSession.create(bytes);
    const logits = (await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, SIDE, SIDE]) })).logits?.data as Float32Array;
    await session.release();
    const diff = Math.max(...byDefault.logits.map((v, c) => Math.abs(v - (logits[c] as number))));
    const scale = Math.max(...byDefault.logits.map(Math.abs));
    process.stdout.write(
      `ONNX export (onnxruntime-web) vs lab predict at 64 px: max |logit diff| ${diff.toExponential(2)} (max |logit| ${scale.toFixed(3)})\n`,
    );
    assert.ok(diff <= 1e-4 * scale + 1e-6, `max |logit diff| ${diff}`);
  });

  test('the logits equal torchvision’s on the same 64 px image', { skip: torchMissing() }, async () => {
    assert.ok(byDefault, 'the lab predict test left logits to compare with');
    const pixelsPath = join(dir, 'pixels.json');
    writeFileSync(pixelsPath, JSON.stringify({ width: SIDE, height: SIDE, pixels: Array.from(PIXELS) }));
    const script = join(ROOT, 'scripts', 'check-safetensors-export.py');
    const { stdout } = await promisify(execFile)(PYTHON, [script, safetensors, '--classes', '7', '--pixels', pixelsPath], {
      timeout: 180_000,
      maxBuffer: 16 << 20,
    });
    const torch = JSON.parse(stdout) as { inputSize: number; logits: number[] };
    assert.equal(torch.inputSize, SIDE);
    const scale = Math.max(...torch.logits.map(Math.abs));
    for (const [c, v] of byDefault.logits.entries()) {
      assert.ok(
        Math.abs(v - (torch.logits[c] as number)) <= 1e-3 * scale + 1e-5,
        `logit ${c}: lab predict ${v}, torchvision ${torch.logits[c]}`,
      );
    }
    process.stdout.write(
      `lab predict vs torchvision at 64 px: max |diff| ${Math.max(...byDefault.logits.map((v, c) => Math.abs(v - (torch.logits[c] as number)))).toExponential(2)} (max |logit| ${scale.toFixed(3)})\n`,
    );
  });
});
