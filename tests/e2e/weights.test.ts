import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import { openLabSession, requestId } from '../../scripts/lab/lab-session.ts';
import { makeTestWeights } from '../../scripts/weights/make-test-weights.ts';
import { writeSafetensors, parseSafetensors } from '../../src/ml/weights/safetensors.ts';
import { folderZip } from '../../src/data/testing/fixture-datasets.ts';
import { ROOT, lab } from './helpers.ts';

/** The path the app fetches from Hugging Face, served from this machine instead. */
const HF_PATH = '/timm/resnet50.tv_in1k/resolve/main/model.safetensors';

describe('pretrained weights: convert, predict, fetch, cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expression-lab-weights-'));
  const safetensorsPath = join(dir, 'model.safetensors');
  let weightsBytes: Uint8Array;
  let server: Server;
  let baseUrl: string;
  let requests = 0;
  const images: string[] = [];

  before(async () => {
    weightsBytes = await makeTestWeights(7);
    writeFileSync(safetensorsPath, weightsBytes);
    server = createServer((req, res) => {
      requests += 1;
      if (req.url !== HF_PATH) return void res.writeHead(404).end();
      // CORS as Hugging Face sends it: the app's page is cross-origin isolated and fetches in cors mode.
      res.writeHead(200, {
        'Access-Control-Allow-Origin': '*',
        'Content-Type': 'application/octet-stream',
        'Content-Length': weightsBytes.byteLength,
      });
      res.end(weightsBytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const faces = unzipSync(folderZip({ perClass: { test: 2 }, classes: ['happy', 'sad'] }));
    for (const name of Object.keys(faces).slice(0, 3)) {
      const path = join(dir, name.replaceAll('/', '_'));
      writeFileSync(path, faces[name] as Uint8Array);
      images.push(path);
    }
  });
  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('convert → TensorFlow.js files → predict gives exactly the logits of the .safetensors', async () => {
    const out = join(dir, 'tfjs');
    const { lines } = await lab(['convert', safetensorsPath, out]);
    assert.equal((lines[0] as { parameterCount: number }).parameterCount, 25_557_032);
    const fromSafetensors = (await lab(['predict', '--weights', safetensorsPath, ...images])).lines as { name: string; logits: number[] }[];
    const fromTfjs = (await lab(['predict', '--weights', out, ...images])).lines as { name: string; logits: number[] }[];
    assert.equal(fromSafetensors.length, images.length);
    assert.equal(fromSafetensors[0]?.logits.length, 1000, 'an ImageNet file keeps its 1000-way fc for predict');
    assert.deepEqual(fromTfjs, fromSafetensors);
  });

  test('a wrong-shaped or missing tensor is an error naming it, never a partial load', async () => {
    const { tensors } = parseSafetensors(weightsBytes);
    const wrong = new Map(tensors);
    wrong.set('layer2.1.conv2.weight', { shape: [128, 128, 1, 1], data: new Float32Array(128 * 128) });
    const missing = new Map(tensors);
    missing.delete('layer3.4.bn1.running_var');
    for (const [name, map, pattern] of [
      ['wrong.safetensors', wrong, /layer2\.1\.conv2\.weight.*\[128, 128, 1, 1\]/s],
      ['missing.safetensors', missing, /layer3\.4\.bn1\.running_var/],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, writeSafetensors(map));
      await assert.rejects(lab(['predict', '--weights', path, images[0] as string]), (err: { code: number; stderr: string }) => {
        assert.equal(err.code, 1);
        assert.match(err.stderr, pattern);
        return true;
      });
    }
  });

  test('the app downloads the weights with progress, caches them, and says so plainly when offline', async () => {
    const session = await openLabSession({ backend: 'wasm' });
    try {
      const progress: { loadedBytes: number; totalBytes: number | null }[] = [];
      session.onEvent((e) => {
        if (e.type === 'weights/progressed' && e.phase === 'downloading') progress.push(e as never);
      });
      const url = `${baseUrl}${HF_PATH}`;
      const first = await session.request({
        type: 'weights/load',
        requestId: requestId(),
        request: { kind: 'pretrained', url, allowDownload: true },
      });
      assert.equal(first.info.source, 'pretrained-download');
      assert.equal(first.info.parameterCount, 25_557_032);
      assert.ok(progress.length > 0, 'download progress events');
      assert.equal(progress.at(-1)?.loadedBytes, weightsBytes.byteLength);
      assert.equal(progress.at(-1)?.totalBytes, weightsBytes.byteLength);
      const before = requests;
      const second = await session.request({
        type: 'weights/load',
        requestId: requestId(),
        request: { kind: 'pretrained', url, allowDownload: true },
      });
      assert.equal(second.info.source, 'pretrained-cache');
      assert.equal(requests, before, 'the cached copy needs no network');
      const offline = `http://127.0.0.1:9${HF_PATH}`;
      await assert.rejects(
        session.request({
          type: 'weights/load',
          requestId: requestId(),
          request: { kind: 'pretrained', url: offline, allowDownload: true },
        }),
        /offline.*random initialisation \(not pretrained\)/s,
      );
    } finally {
      await session.close();
    }
  });

  test('npm run weights writes the local copy, which the app prefers over a download', async () => {
    const local = join(ROOT, 'dist', 'models', 'resnet50');
    await new Promise<void>((resolve, reject) => {
      import('node:child_process').then(({ execFile }) =>
        execFile('npx', ['tsx', 'scripts/fetch-weights.ts', '--url', `${baseUrl}${HF_PATH}`, '--out', local], { cwd: ROOT }, (err) =>
          err ? reject(err) : resolve(),
        ),
      );
    });
    const session = await openLabSession({ backend: 'wasm' });
    try {
      const reply = await session.request({
        type: 'weights/load',
        requestId: requestId(),
        request: { kind: 'pretrained', url: `http://127.0.0.1:9${HF_PATH}`, allowDownload: false },
      });
      assert.equal(reply.info.source, 'pretrained-local');
      assert.equal(reply.info.pretrained, true);
    } finally {
      await session.close();
      rmSync(join(ROOT, 'dist', 'models'), { recursive: true, force: true });
    }
  });
});
