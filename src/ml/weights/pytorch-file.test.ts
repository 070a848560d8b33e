import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePthFiles, torchMissing } from '../../../tests/torch.ts';
import { readPytorchFile } from './pytorch-file.ts';
import { readWeightsFile } from './weights-file.ts';
import { writeSafetensors } from './safetensors.ts';

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** A torch.save-shaped zip whose data.pkl is `pickle` (protocol 2, hand-assembled). */
function zipWithPickle(pickle: readonly number[]): Uint8Array {
  return zipSync({ 'archive/data.pkl': Uint8Array.from(pickle), 'archive/version': Uint8Array.from(ascii('3\n')) }, { level: 0 });
}

describe('the pickle allow-list (no PyTorch needed)', () => {
  it('refuses a pickle that names os.system, naming it, before anything is built', () => {
    // pickle.dumps of os.system('echo pwned') by hand: GLOBAL 'os system', a string, TUPLE1, REDUCE, STOP.
    const pickle = [0x80, 2, 0x63, ...ascii('os\nsystem\n'), 0x58, 10, 0, 0, 0, ...ascii('echo pwned'), 0x85, 0x52, 0x2e];
    expect(() => readPytorchFile('evil.pth', zipWithPickle(pickle))).toThrow(
      /evil\.pth: its pickle names os\.system, which is not part of a state dict, so the file is refused .*never runs code/,
    );
  });

  it('refuses builtins.eval and any global outside the list the same way', () => {
    for (const [module, name] of [
      ['builtins', 'eval'],
      ['numpy.core.multiarray', '_reconstruct'],
      ['torch', 'load'],
    ]) {
      const pickle = [0x80, 2, 0x63, ...ascii(`${module}\n${name}\n`), 0x29, 0x52, 0x2e];
      expect(() => readPytorchFile('x.pth', zipWithPickle(pickle))).toThrow(new RegExp(`names ${module}\\.${name},`));
    }
  });

  it('says what a file that is neither format is', () => {
    expect(() => readWeightsFile('notes.pth', Uint8Array.from(ascii('hello, these are not weights')))).toThrow(
      /notes\.pth is neither a \.safetensors file nor a PyTorch file .*torch\.save\(model\.state_dict\(\)\)/,
    );
    const plainPickle = Uint8Array.from([0x80, 4, 0x4b, 1, 0x2e]);
    expect(() => readWeightsFile('one.pkl', plainPickle)).toThrow(/a Python pickle, but not one torch\.save wrote/);
  });

  it('still reads .safetensors, whatever the file is called', () => {
    const bytes = writeSafetensors(new Map([['fc.bias', { shape: [2], data: Float32Array.of(1, 2) }]]));
    const read = readWeightsFile('weights.pth', bytes);
    expect(read.format).toBe('safetensors');
    expect([...(read.tensors.get('fc.bias')?.data ?? [])]).toEqual([1, 2]);
  });
});

describe.skipIf(torchMissing())('files torch.save wrote (Debian’s python3-torch)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'expression-lab-pth-'));
  let expected: Record<string, { shape: number[]; values: number[] }>;
  const file = (name: string) => readFileSync(join(dir, name));
  beforeAll(() => {
    makePthFiles('tiny', dir);
    expected = JSON.parse(readFileSync(join(dir, 'tiny-expected.json'), 'utf8')) as typeof expected;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const expectAllTensors = (tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>) => {
    expect([...tensors.keys()]).toEqual(Object.keys(expected));
    for (const [name, want] of Object.entries(expected)) {
      const got = tensors.get(name);
      expect(got?.shape, name).toEqual(want.shape);
      // torch's .float() of each dtype, exactly: f16/bf16/f64 conversion, strides and storage offsets.
      expect([...(got?.data ?? [])], name).toEqual(want.values.map(Math.fround));
    }
  };

  it('reads a zip state dict: float32, float16, bfloat16, float64, a transposed view and a shared storage; skips num_batches_tracked', () => {
    const read = readPytorchFile('state.pth', file('state.pth'));
    expectAllTensors(read.tensors);
    expect(read.notes).toEqual(['PyTorch zip archive (torch.save)', 'converted float16, bfloat16, float64 tensors to float32']);
  });

  it('takes a checkpoint’s state_dict, strips DataParallel’s module. and says what it ignored', () => {
    const read = readPytorchFile('checkpoint.pth', file('checkpoint.pth'));
    expectAllTensors(read.tensors);
    expect(read.notes).toContain('a training checkpoint: the weights under "state_dict" (epoch 3); ignored epoch, arch, optimizer');
    expect(read.notes).toContain('removed DataParallel’s "module." prefixes');
  });

  it('reads the legacy (pre-1.6, non-zip) format with the same parser', () => {
    const read = readPytorchFile('legacy.pth', file('legacy.pth'));
    expectAllTensors(read.tensors);
    expect(read.notes[0]).toBe('PyTorch legacy format (before 1.6)');
  });

  it('refuses torch.save(model) with what to do instead', () => {
    expect(() => readPytorchFile('model.pth', file('model.pth'))).toThrow(
      /model\.pth: this file holds a pickled model class \(torch\.nn\.modules\.container\.Sequential\).*save model\.state_dict\(\) instead/,
    );
  });

  it('refuses the os.system payload torch.save wrote, naming it', () => {
    expect(() => readPytorchFile('evil.pth', file('evil.pth'))).toThrow(/evil\.pth: its pickle names posix\.system, which is not part/);
  });

  it('refuses a truncated file, zip or legacy, saying so', () => {
    for (const name of ['state.pth', 'legacy.pth']) {
      const bytes = file(name);
      for (const keep of [0.3, 0.9]) {
        const cut = bytes.subarray(0, Math.floor(bytes.byteLength * keep));
        expect(() => readPytorchFile(name, cut), `${name} cut to ${keep}`).toThrow(/is cut short .*the file is truncated/);
      }
    }
  });

  it('refuses a big-endian archive', () => {
    const files = unzipSync(file('state.pth'));
    files['state/byteorder'] = Uint8Array.from(ascii('big'));
    expect(() => readPytorchFile('be.pth', zipSync(files, { level: 0 }))).toThrow(/big-endian machine \(byteorder "big"\)/);
  });
});
