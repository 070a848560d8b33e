/**
 * A table of bad inputs across dataset import, weights, run settings and stored-lab import, each
 * sent through the worker's real command handler against a session with a dataset, weights, a
 * finished run and its saved lab: each must fail with its own clear message, and leave the
 * session and the stored lab exactly as they were.
 */
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { differencesFromReadme } from '../../tests/bad-inputs-table.ts';
import { classFolders, makeZip, patchCentralDirectory, tinyJpeg } from '../data/testing/zips.ts';
import type { Command, WorkerEvent } from '../shared/protocol.ts';
import { DEFAULT_TRAIN_CONFIG } from '../shared/train-defaults.ts';
import type { TrainConfig } from '../shared/types.ts';
import { writeSafetensors } from '../ml/weights/safetensors.ts';
import { resnet18StateDict, vitStateDict } from '../ml/weights/testing/foreign-state-dicts.ts';
import { listRuns } from '../storage/lab-db.ts';
import { SCHEMA_VERSION } from '../storage/schema.ts';
import { handleCommand } from './handler.ts';
import { createSession, type Session } from './session.ts';

const session: Session = createSession('http://127.0.0.1/');
const OPTIONS = { validationFraction: 0.1, seed: 1, maxUncompressedBytes: 1 << 30 };
const TINY: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  batchSize: 8,
  epochs: 1,
  inputSize: 32,
  regime: 'linear',
  learningRates: { conv1: 0, bn1: 0, layer1: 0, layer2: 0, layer3: 0, layer4: 0, fc: 0.01 },
};

async function send(command: Command): Promise<WorkerEvent[]> {
  const events: WorkerEvent[] = [];
  await handleCommand(command, session, (e) => events.push(e));
  return events;
}
const errorOf = (events: WorkerEvent[]) => events.find((e) => e.type === 'error');

/** A safetensors file from a header object and a data section. */
function safetensors(header: unknown, data = new Uint8Array(16), lieAboutLength?: number): ArrayBuffer {
  const json = strToU8(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(lieAboutLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out.buffer;
}

function labFile(manifest: unknown, extra: Record<string, Uint8Array> = {}): ArrayBuffer {
  return zipSync({ 'lab.json': strToU8(JSON.stringify(manifest)), ...extra }).slice().buffer;
}

const archive = (name: string, bytes: Uint8Array): Command => ({
  type: 'dataset/load',
  requestId: 'd',
  source: { kind: 'archive', name, data: bytes.slice().buffer },
  options: OPTIONS,
});
const weights = (data: ArrayBuffer): Command => ({
  type: 'weights/load',
  requestId: 'w',
  request: { kind: 'file', name: 'bad.safetensors', data },
});
const train = (patch: Partial<TrainConfig>): Command => ({
  type: 'train/start',
  runId: `bad-${Math.random()}`,
  config: { ...TINY, ...patch },
});
const labImport = (data: ArrayBuffer): Command => ({ type: 'lab/import', requestId: 'i', data });
const twoClasses = () => classFolders('', ['happy', 'sad'], 3);
const manyClasses = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${String(i).padStart(5, '0')}/a.jpg`, tinyJpeg(8, 8)]));
const lr = (fc: number) => ({ learningRates: { ...TINY.learningRates, fc } });

const BAD_INPUTS: readonly [string, () => Command, RegExp][] = [
  ['a 0-byte dataset file', () => archive('faces.zip', new Uint8Array(0)), /"faces\.zip" is empty \(0 bytes\)/],
  ['a file that is neither zip nor CSV', () => archive('notes.bin', strToU8('hello world')), /not a zip archive or a CSV file/],
  ['a JPEG renamed .zip', () => archive('faces.zip', tinyJpeg(4, 4)), /named like a zip but is not one/],
  [
    'a truncated (corrupt) zip',
    () => {
      const z = makeZip(twoClasses());
      return archive('cut.zip', z.subarray(0, z.length - 40));
    },
    /not a readable zip/,
  ],
  [
    'a zip-bomb header',
    () =>
      archive(
        'bomb.zip',
        patchCentralDirectory(makeZip(twoClasses()), (v, at) => v.setUint32(at + 24, 0xfffffff0, true)),
      ),
    /would expand to .* over the .* import limit/,
  ],
  [
    'an encrypted zip',
    () =>
      archive(
        'locked.zip',
        patchCentralDirectory(makeZip(twoClasses()), (v, at) => v.setUint16(at + 8, v.getUint16(at + 8, true) | 1, true)),
      ),
    /password-protected/,
  ],
  ['an empty zip', () => archive('empty.zip', makeZip({})), /No images found.*It is empty/],
  [
    'a dataset with only one class (FER2013 CSV, every row "happy")',
    () =>
      archive(
        'fer.csv',
        strToU8(['emotion,pixels,Usage', ...Array.from({ length: 4 }, () => `3,${Array(2304).fill(7).join(' ')},Training`)].join('\n')),
      ),
    /only one class/,
  ],
  ['a zip of non-images', () => archive('junk.zip', makeZip({ 'happy/a.txt': 'x', 'sad/b.txt': 'y' })), /no images|No images/i],
  ['a CSV without its header', () => archive('fer.csv', strToU8('0,1 2 3\n')), /missing the columns? .*emotion/],
  [
    'a CSV whose rows are all bad',
    () => archive('fer.csv', strToU8('emotion,pixels,Usage\n9,1 2 3,Training\nx,1,Training\n')),
    /row|pixels/i,
  ],
  ['a zip of 10,000 class folders', () => archive('many.zip', makeZip(manyClasses(10_000))), /has 10,000 class folders/],
  [
    'a zip holding only several zips',
    () => archive('two.zip', makeZip({ 'a.zip': makeZip(twoClasses()), 'b.zip': makeZip(twoClasses()) })),
    /holds 2 zips/,
  ],
  [
    'a zip in a zip in a zip',
    () => archive('outer.zip', makeZip({ 'middle.zip': makeZip({ 'inner.zip': makeZip(twoClasses()) }) })),
    /opened one level deep/,
  ],
  ['a UTF-16 CSV (Excel\'s "Unicode Text")', () => archive('excel.csv', new Uint8Array([0xff, 0xfe, 0x65, 0, 0x2c, 0])), /is UTF-16 text/],
  [
    'a semicolon-separated CSV',
    () => archive('semi.csv', strToU8(`emotion;pixels;Usage\n0;${Array(2304).fill(7).join(' ')};Training\n`)),
    /separated by semicolons/,
  ],
  ['weights shorter than a header', () => weights(new Uint8Array(3).buffer), /shorter than the 8-byte header length/],
  [
    'a safetensors header that lies about its length',
    () => weights(safetensors({}, new Uint8Array(4), 1 << 20)),
    /header length .* exceeds the file/,
  ],
  [
    'a safetensors header that is not JSON',
    () =>
      weights(
        (() => {
          const b = new Uint8Array(8 + 3);
          new DataView(b.buffer).setBigUint64(0, 3n, true);
          b.set(strToU8('{{{'), 8);
          return b.buffer;
        })(),
      ),
    /header is not valid JSON/,
  ],
  [
    'a safetensors header whose offsets reach beyond the file',
    () => weights(safetensors({ 'fc.weight': { dtype: 'F32', shape: [32, 32], data_offsets: [0, 4096] } })),
    /the file is truncated: its header describes 4,096 bytes of tensor data but only 16 are there \(4,080 bytes missing\)/,
  ],
  [
    'a safetensors header whose offsets overlap',
    () =>
      weights(
        safetensors({
          'fc.bias': { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
          'fc.weight': { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
        }),
      ),
    /lies about where the tensors are: tensors "fc\.weight" \(bytes 0–12\) and "fc\.bias" \(bytes 8–16\) overlap/,
  ],
  [
    'a safetensors file with its body cut short',
    () => {
      const whole = new Uint8Array(safetensors({ 'fc.weight': { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }));
      return weights(whole.slice(0, whole.length - 5).buffer);
    },
    /^bad\.safetensors: safetensors: the file is truncated: .*\(5 bytes missing\)\. Download or copy the file again\./,
  ],
  [
    'a ResNet18 state dict',
    () => weights(writeSafetensors(resnet18StateDict()).slice().buffer),
    /^These weights are a ResNet18, not a ResNet50/,
  ],
  [
    'a ViT state dict',
    () => weights(writeSafetensors(vitStateDict()).slice().buffer),
    /^These weights are a Vision Transformer \(ViT\), not a ResNet50: .*give a ResNet50 state dict \(torchvision or timm names\)/,
  ],
  [
    'a TensorFlow.js model.json without its weights.bin',
    () => ({
      type: 'weights/load',
      requestId: 'w',
      request: {
        kind: 'tfjs',
        files: [
          {
            name: 'model.json',
            data: strToU8(JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['weights.bin'], weights: [] }] })).slice().buffer,
          },
        ],
      },
    }),
    /^model\.json names a weight file that is missing: "weights\.bin"\. Keep them together/,
  ],
  [
    'a safetensors tensor of an unsupported dtype',
    () => weights(safetensors({ 'fc.weight': { dtype: 'F8_E4M3', shape: [16], data_offsets: [0, 16] } })),
    /tensor "fc\.weight" is stored as F8_E4M3, which Expression Lab cannot use as weights; it reads F32, F16, BF16 and F64/,
  ],
  [
    'weights of the wrong shape',
    () => weights(safetensors({ 'conv1.weight': { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } })),
    /conv1\.weight/,
  ],
  ['a negative learning rate', () => train(lr(-0.01)), /learning rate of fc is -0\.01; it must be 0 \(frozen\) or a positive number/],
  ['a huge learning rate', () => train(lr(1e6)), /learning rate of fc is 1000000, too large/],
  ['every learning rate 0', () => train(lr(0)), /Every learning rate is 0/],
  [
    'a batch larger than the dataset',
    () => train({ batchSize: 4096 }),
    /batch size \(4096\) is larger than the training split \(\d+ images\)/,
  ],
  ['momentum of 1.5', () => train({ momentum: 1.5 }), /Momentum is 1\.5/],
  ['an input size of 8 px', () => train({ inputSize: 8 }), /input size is 8 px/],
  ['0 epochs', () => train({ epochs: 0 }), /number of epochs is 0/],
  [
    'a stored-lab file from a newer schema',
    () => labImport(labFile({ format: 'expression-lab/lab', schemaVersion: SCHEMA_VERSION + 1, runs: [] })),
    /saved by a newer Expression Lab/,
  ],
  [
    'a stored-lab file that is not a zip',
    () => labImport(strToU8('not a zip at all').slice().buffer),
    /not a lab file \(it is not a readable zip\)/,
  ],
  ['a stored-lab zip without lab.json', () => labImport(zipSync({ 'x.txt': strToU8('x') }).slice().buffer), /holds no lab\.json/],
  ['an empty stored-lab file', () => labImport(new ArrayBuffer(0)), /is empty \(0 bytes\)/],
  [
    'a stored-lab file whose run has one class',
    () =>
      labImport(
        labFile({
          format: 'expression-lab/lab',
          schemaVersion: 1,
          runs: [{ run: { runId: 'x', config: TINY, classes: ['a'], history: [], batches: [] }, checkpoint: null }],
        }),
      ),
    /at least two class names/,
  ],
  [
    'a stored-lab checkpoint that does not match its table',
    () => {
      const manifest = {
        format: 'expression-lab/lab',
        schemaVersion: 1,
        runs: [
          {
            run: { runId: 'y', config: TINY, classes: ['a', 'b'], history: [], batches: [] },
            checkpoint: { epoch: 1, tensors: [{ name: 'fc.weight', shape: [10, 10], offset: 0, length: 100 }] },
          },
        ],
      };
      return labImport(labFile(manifest, { 'checkpoints/y.f32': new Uint8Array(16) }));
    },
    /does not match its table/,
  ],
  ['resuming a run that was not interrupted', () => ({ type: 'train/resume', runId: 'good' }), /was not interrupted/],
  ['starting again a run that was not interrupted', () => ({ type: 'train/restart', runId: 'good' }), /was not interrupted/],
  [
    'a negative checkpoint interval',
    () => ({ type: 'lab/open', requestId: 'o2', settings: { keep: 'last-and-best', everyMinutes: -1 } }),
    /interval of -1 minutes cannot be used: give 0 \(epoch ends only\) or more/,
  ],
];

async function snapshot() {
  const db = session.persistence!.db;
  return {
    dataset: session.dataset,
    weights: session.weights,
    runs: session.runs.all().map((r) => [r.runId, r.status, r.history.length]),
    storedRuns: JSON.stringify(await listRuns(db)),
    storedDataset: (await db.get('dataset', 'current'))?.name,
    checkpoints: await db.getAllKeys('checkpoints'),
  };
}

describe('bad inputs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    session.markBackendSettled();
    for (const command of [
      { type: 'lab/open', requestId: 'o' },
      { type: 'dataset/load', requestId: 'd0', source: { kind: 'demo' }, options: OPTIONS },
      { type: 'train/start', runId: 'good', config: TINY },
    ] as Command[]) {
      const failed = errorOf(await send(command));
      if (failed) throw new Error(`setting up failed: ${JSON.stringify(failed)}`);
    }
    expect((await listRuns(session.persistence!.db))[0]).toMatchObject({ runId: 'good', status: 'completed' });
  }, 300_000);

  it('has at least 20 cases', () => expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(20));

  const messages = new Map<string, string>();
  for (const [label, command, message] of BAD_INPUTS) {
    it(`${label}: says so clearly and changes nothing stored`, async () => {
      const before = await snapshot();
      const events = await send(command());
      const failure = errorOf(events);
      expect(failure, `an error event for ${label}`).toBeDefined();
      const text = failure && 'message' in failure ? failure.message : '';
      messages.set(label, text);
      expect(text).toMatch(message);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("README's table of bad inputs quotes each of these messages as the code gives it", () => {
    expect(messages.size, 'every case above ran').toBe(BAD_INPUTS.length);
    expect(differencesFromReadme('src/worker/bad-inputs.test.ts', messages)).toEqual([]);
  });
});
