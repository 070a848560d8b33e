import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { datasetSourceFor } from '../../scripts/lab/inputs.ts';
import { openLabSession, requestId, type LabSession } from '../../scripts/lab/lab-session.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/shared/train-defaults.ts';
import { REGIMES } from '../../src/shared/regimes.ts';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { lab } from './helpers.ts';

interface EpochLine {
  type: 'epoch';
  regime: string;
  epoch: number;
  memory: { numTensors: number; numBytes: number };
}

/** 7 classes x `perClass` train images and 1 validation image each: generated faces, so no real data is needed. */
function tinyZip(perClass: number): Uint8Array {
  return folderZip({ perClass: { train: perClass, val: 1 } });
}

const memoryPerEpoch = (lines: unknown[]) => (lines as EpochLine[]).filter((l) => l.type === 'epoch').map((l) => l.memory.numTensors);

describe('training in the worker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expression-lab-train-'));
  const tiny = join(dir, 'tiny.zip');
  before(() => writeFileSync(tiny, tinyZip(2)));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('WASM: every regime trains; tensors after epoch 2 equal epoch 1; the seed-style table ends the output; exports are written', async () => {
    const out = join(dir, 'export');
    const { lines, stderr } = await lab([
      'train',
      tiny,
      '--regime',
      'all',
      '--epochs',
      '2',
      '--batch',
      '8',
      '--size',
      '32',
      '--aug',
      'hflip,rotate,perspective',
      '--backend',
      'wasm',
      '--export',
      out,
    ]);
    for (const regime of ['linear', 'finetune', 'discriminative', 'frozen-lower']) {
      const epochs = (lines as EpochLine[]).filter((l) => l.type === 'epoch' && l.regime === regime);
      assert.deepEqual(
        epochs.map((e) => e.epoch),
        [1, 2],
        `${regime} ran two epochs`,
      );
      assert.equal(epochs[1]?.memory.numTensors, epochs[0]?.memory.numTensors, `${regime}: no tensor leaked between epochs`);
    }
    const summary = lines.at(-1) as { type: string; runs: { regime: string; bestAccuracy: number; reason: string }[] };
    assert.equal(summary.type, 'summary');
    assert.deepEqual(
      summary.runs.map((r) => r.reason),
      ['completed', 'completed', 'completed', 'completed'],
    );
    assert.match(stderr, /regime\s+best val acc\s+epoch\s+final val acc\s+time \(s\)/);
    assert.match(stderr, /best = the epoch with the lowest validation loss/);
    assert.match(stderr, /frozen-lower\s+\d+\.\d\d%/);
    assert.deepEqual(readdirSync(join(out, 'discriminative', 'tfjs')).sort(), ['expression-lab.json', 'model.json', 'weights.bin']);
    // Every download is named after its run, so two runs' files never collide.
    assert.deepEqual(readdirSync(join(out, 'discriminative', 'safetensors')), ['run-3-discriminative.safetensors']);
    assert.deepEqual(readdirSync(join(out, 'discriminative', 'onnx')), ['run-3-discriminative.onnx']);
    assert.deepEqual(readdirSync(join(out, 'discriminative', 'metrics')).sort(), [
      'run-3-discriminative-metrics.csv',
      'run-3-discriminative-metrics.json',
    ]);
    const csv = readFileSync(join(out, 'discriminative', 'metrics', 'run-3-discriminative-metrics.csv'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(csv.filter((row) => row.startsWith('epoch,')).length, 2, 'one row per epoch');
    assert.equal(csv.filter((row) => row.startsWith('batch,')).length, 2 * 2, 'one row per batch (2 batches of 8 in each of 2 epochs)');
  });

  test('WebGPU: two epochs keep the tensor count (linear probe, backbone run every step)', { timeout: 900_000 }, async () => {
    const { lines } = await lab(
      ['train', tiny, '--regime', 'linear', '--exact-seed', '--epochs', '2', '--batch', '8', '--size', '32', '--backend', 'webgpu'],
      900_000,
    );
    const counts = memoryPerEpoch(lines);
    assert.equal(counts.length, 2);
    assert.equal(counts[1], counts[0]);
    assert.equal((lines.at(-1) as { backend: string }).backend, 'webgpu');
  });

  describe('stop', () => {
    let session: LabSession;
    before(async () => {
      session = await openLabSession({ backend: 'wasm' });
      session.setOutputDir(join(dir, 'stopped'));
      await session.request({
        type: 'dataset/load',
        requestId: requestId(),
        source: datasetSourceFor(join(dir, 'tiny.zip'), session.server),
        options: { validationFraction: 0.1, seed: 1, maxUncompressedBytes: 1e9 },
      });
    });
    after(async () => session?.close());

    test('the augmentation preview is seeded: same seed, same grid; another seed, another grid', async () => {
      const on = {
        hflip: { enabled: true, p: 0.5 },
        rotate: { enabled: true, degrees: 5 },
        perspective: { enabled: true, distortion: 0.1, p: 0.5 },
      };
      const off = {
        hflip: { enabled: false, p: 1 },
        rotate: { enabled: false, degrees: 5 },
        perspective: { enabled: false, distortion: 0.1, p: 1 },
      };
      type Preview = { images: { width: number; channels: number; pixels: { fnv1a: string } }[] };
      const preview = (augment: typeof on, seed: number) =>
        session.request({ type: 'augment/preview', requestId: requestId(), augment, inputSize: 48, seed, count: 8 });
      const hashes = (p: Preview) => p.images.map((i) => i.pixels.fnv1a);
      const [a, b, c] = [await preview(on, 3), await preview(on, 3), await preview(on, 4)];
      assert.equal(a.images.length, 8);
      assert.equal(a.images[0]?.width, 48);
      assert.deepEqual(hashes(a), hashes(b));
      assert.notDeepEqual(hashes(a), hashes(c));
      const [plain, plainOtherSeed] = [await preview(off, 3), await preview(off, 4)];
      assert.deepEqual(hashes(plain), hashes(plainOtherSeed), 'with every toggle off the seed changes nothing');
      assert.notDeepEqual(hashes(plain), hashes(a), 'the toggles change the images');
    });

    test('is cooperative: the run ends after its batch with finished epochs intact, and a new run starts at once', async () => {
      const events: { type: string; runId?: string; reason?: string }[] = [];
      session.onEvent((e) => events.push(e));
      const config = {
        ...DEFAULT_TRAIN_CONFIG,
        regime: 'finetune' as const,
        learningRates: { ...REGIMES.finetune.learningRates },
        epochs: 5,
        batchSize: 4,
        inputSize: 32,
      };
      const waitFor = async (predicate: () => boolean) => {
        while (!predicate()) await new Promise((r) => setTimeout(r, 50));
      };
      await session.send({ type: 'train/start', runId: 'stop-me', config });
      await waitFor(() => events.some((e) => e.type === 'train/epochEnded' && e.runId === 'stop-me'));
      await session.send({ type: 'train/stop', runId: 'stop-me' });
      await waitFor(() => events.some((e) => e.type === 'train/finished' && e.runId === 'stop-me'));
      const finished = events.find((e) => e.type === 'train/finished' && e.runId === 'stop-me');
      assert.equal(finished?.reason, 'stopped');
      const epochs = events.filter((e) => e.type === 'train/epochEnded' && e.runId === 'stop-me').length;
      assert.ok(epochs >= 1 && epochs < 5, `stopped early with finished epochs kept (${epochs})`);
      const exported = await session.request({
        type: 'export/run',
        requestId: requestId(),
        runId: 'stop-me',
        format: 'metrics',
      });
      const history = JSON.parse(readFileSync(session.outputs.find((p) => p.endsWith('metrics.json')) as string, 'utf8')) as {
        history: unknown[];
      };
      assert.equal(history.history.length, epochs, 'the stopped run keeps the metrics of its finished epochs');
      assert.ok(exported.files.length === 2);
      await session.send({ type: 'train/start', runId: 'next', config: { ...config, epochs: 1 } });
      await waitFor(() => events.some((e) => (e.type === 'train/finished' || e.type === 'error') && e.runId === 'next'));
      assert.equal(events.find((e) => e.type === 'train/finished' && e.runId === 'next')?.reason, 'completed');
    });
  });
});
