/**
 * Weights that cannot be used, met as a user meets them: `lab convert` / `lab predict --weights`
 * and the Model panel's drop zone give the same sentences (another network, a truncated body, a
 * model.json without its shards), and half-precision weights load, converted, saying so.
 * (`lab convert` reads weights through the same worker command as `lab predict`.)
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resnet50StateDictSpec } from '../../src/ml/resnet50-spec.ts';
import { writeSafetensors } from '../../src/ml/weights/safetensors.ts';
import { resnet18StateDict } from '../../src/ml/weights/testing/foreign-state-dicts.ts';
import { lab, screenshot, startApp } from './helpers.ts';

/** ResNet50's state dict (7 classes) as a .safetensors of F16 tensors, as `model.half()` then save_file writes it. */
function halfPrecisionResNet50(): Uint8Array {
  const specs = resnet50StateDictSpec(7);
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const { name, shape } of specs) {
    const bytes = shape.reduce((a, b) => a * b, 1) * 2;
    header[name] = { dtype: 'F16', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  // Every value 0.5 (0x3800): the variances stay positive.
  for (let at = 8 + json.length; at < out.length; at += 2) view.setUint16(at, 0x3800, true);
  return out;
}

const RESNET18 =
  /These weights are a ResNet18, not a ResNet50: .*Expression Lab fine-tunes ResNet50: give a ResNet50 state dict \(torchvision or timm names\)/;
const CUT =
  /cut\.safetensors: safetensors: the file is truncated: its header describes [\d,]+ bytes of tensor data but only [\d,]+ are there \(1,000 bytes missing\)\. Download or copy the file again\./;
const NO_SHARDS =
  /model\.json names a weight file that is missing: "weights\.bin"\. Keep them together: drop \(or pick\) model\.json with all its \.bin files at once, or give their folder\./;

describe('weights that cannot be used, and half-precision weights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expression-lab-weights-refused-'));
  const lonely = join(dir, 'lonely');
  before(async () => {
    const half = halfPrecisionResNet50();
    writeFileSync(join(dir, 'half.safetensors'), half);
    writeFileSync(join(dir, 'cut.safetensors'), half.subarray(0, half.length - 1000));
    writeFileSync(join(dir, 'resnet18.safetensors'), writeSafetensors(resnet18StateDict()));
    mkdirSync(lonely);
    const manifest = { modelTopology: {}, format: 'layers-model', weightsManifest: [{ paths: ['weights.bin'], weights: [] }] };
    writeFileSync(join(lonely, 'model.json'), JSON.stringify(manifest));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Exit code 1 and a message matching `pattern`, with no JavaScript stack trace. */
  async function refused(args: string[], pattern: RegExp): Promise<void> {
    await assert.rejects(lab([...args, '--backend', 'wasm']), (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.match(err.stderr, pattern);
      assert.doesNotMatch(err.stderr, /\n\s+at /, 'no stack trace');
      return true;
    });
  }

  // lab convert reads weights through the same worker command (weights/load) as lab predict.
  test('lab predict --weights refuses in the same words as the app, given model.json alone', async () => {
    await refused(['predict', '--weights', join(lonely, 'model.json'), join(dir, 'half.safetensors')], NO_SHARDS);
  });

  test('the Model panel says the same when such files are dropped, and keeps the weights it had', async () => {
    const app = await startApp();
    try {
      const page = await app.open('?backend=wasm');
      await page.getByTestId('backend').getByText(/wasm/i).waitFor({ timeout: 60_000 });
      const drop = async (files: readonly string[]) => {
        const urls = files.map((file) => [app.server.offer(file), file.split('/').pop() ?? file] as const);
        const transfer = await page.evaluateHandle(async (list) => {
          const dt = new DataTransfer();
          for (const [href, name] of list) dt.items.add(new File([await (await fetch(href)).blob()], name));
          return dt;
        }, urls);
        const zone = page.getByTestId('weights-dropzone');
        for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer: transfer });
      };
      await drop([join(dir, 'half.safetensors')]);
      const status = page.getByTestId('weights-status');
      await status.getByText('Your own weights').waitFor({ timeout: 120_000 });
      assert.match(await page.getByTestId('weights-notes').innerText(), /converted float16 tensors to float32/);
      for (const [files, pattern] of [
        [[join(dir, 'resnet18.safetensors')], RESNET18],
        [[join(dir, 'cut.safetensors')], CUT],
        [[join(lonely, 'model.json')], NO_SHARDS],
      ] as const) {
        await drop(files);
        const message = page.getByTestId('error-message').filter({ hasText: pattern });
        await message.first().waitFor({ timeout: 120_000 });
      }
      assert.match(await status.innerText(), /half\.safetensors/, 'the weights loaded before are still the ones in use');
      await screenshot(page, 'weights-refused');
    } finally {
      await app.close();
    }
  });
});
