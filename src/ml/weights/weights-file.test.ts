import { describe, expect, it } from 'vitest';
import { differencesFromReadme } from '../../../tests/bad-inputs-table.ts';
import { readTfjsLayersFiles } from './tfjs-files.ts';
import { readWeightsFile } from './weights-file.ts';

/** A one-tensor .safetensors of `dtype` holding `words` (16-bit little-endian values). */
function halfFile(dtype: 'F16' | 'BF16', words: number[]): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ w: { dtype, shape: [words.length], data_offsets: [0, words.length * 2] } }));
  const out = new Uint8Array(8 + json.length + words.length * 2);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  words.forEach((w, i) => view.setUint16(8 + json.length + i * 2, w, true));
  return out;
}

describe('weights files', () => {
  it('converts half-precision safetensors to float32 and says so in the load summary', () => {
    const f16 = readWeightsFile('half.safetensors', halfFile('F16', [0x3c00, 0xc000]));
    expect(Array.from(f16.tensors.get('w')!.data)).toEqual([1, -2]);
    expect(f16.notes).toEqual(['converted float16 tensors to float32']);
    const bf16 = readWeightsFile('brain.safetensors', halfFile('BF16', [0x3f80]));
    expect(bf16.notes).toEqual(['converted bfloat16 tensors to float32']);
  });

  it('names the file when its safetensors body is cut short', () => {
    const whole = halfFile('F16', [1, 2, 3, 4]);
    expect(() => readWeightsFile('cut.safetensors', whole.subarray(0, whole.length - 3))).toThrow(
      /^cut\.safetensors: safetensors: the file is truncated: .* \(3 bytes missing\)/,
    );
  });

  it('names every weight file a model.json needs that was not given with it', async () => {
    const manifest = {
      modelTopology: {},
      weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [] }],
    };
    const modelJson = { name: 'model.json', data: new TextEncoder().encode(JSON.stringify(manifest)).buffer };
    await expect(readTfjsLayersFiles([modelJson])).rejects.toThrow(
      /^model\.json names 2 weight files that are missing: "group1-shard1of2\.bin", "group1-shard2of2\.bin"\. Keep them together: drop \(or pick\) model\.json with all its \.bin files at once, or give their folder\.$/,
    );
    const shard = { name: 'group1-shard1of2.bin', data: new ArrayBuffer(4) };
    await expect(readTfjsLayersFiles([modelJson, shard])).rejects.toThrow(/names a weight file that is missing: "group1-shard2of2\.bin"/);
  });

  it("README's table of bad inputs quotes the load summary's words", () => {
    const f16 = readWeightsFile('half.safetensors', halfFile('F16', [0x3c00]));
    const messages = new Map([['a .safetensors file in float16', f16.notes.join(' ')]]);
    expect(differencesFromReadme('src/ml/weights/weights-file.test.ts', messages)).toEqual([]);
  });
});
