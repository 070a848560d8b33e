/**
 * Weights that cannot be used, met as a user meets them: `lab convert` / `lab predict --weights`
 * and the Model panel's drop zone give the same sentences (another network, a truncated body, a
 * model.json without its shards), and half-precision weights load, converted, saying so.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeTestWeights } from '../../scripts/weights/make-test-weights.ts';
import { parseSafetensors, writeSafetensors } from '../../src/ml/weights/safetensors.ts';
import { resnet18StateDict } from '../../src/ml/weights/testing/foreign-state-dicts.ts';
import { lab, screenshot, startApp } from './helpers.ts';

/** float32 → IEEE half, rounding toward zero (enough for weights of magnitude 1e-4 … 1e4). */
function toHalf(value: number): number {
  const bits = new Uint32Array(new Float32Array([value]).buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  if (exponent >= 0x1f) return sign | 0x7c00;
  return sign | (exponent << 10) | ((bits >>> 13) & 0x3ff);
}

/** The same state dict as a .safetensors of F16 tensors (what `model.half()` then save_file writes). */
function halfPrecision(bytes: Uint8Array): Uint8Array {
  const { tensors } = parseSafetensors(bytes);
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: 'F16', shape: t.shape, data_offsets: [offset, offset + t.data.length * 2] };
    offset += t.data.length * 2;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors.values()) for (const v of t.data) view.setUint16((at += 2) - 2, toHalf(v), true);
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
    const weights = await makeTestWeights(7);
    writeFileSync(join(dir, 'half.safetensors'), halfPrecision(weights));
    writeFileSync(join(dir, 'cut.safetensors'), weights.subarray(0, weights.length - 1000));
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

  test('lab convert and lab predict --weights refuse in the same words as the app', async () => {
    await refused(['convert', join(dir, 'resnet18.safetensors'), join(dir, 'never')], RESNET18);
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
