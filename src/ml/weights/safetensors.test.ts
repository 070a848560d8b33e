import { describe, expect, it } from 'vitest';
import { parseSafetensors, writeSafetensors, type HostTensor } from './safetensors.ts';

/** Hand-assembles a file so the reader is tested against bytes it did not write. */
function rawFile(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  it('round-trips F32 tensors and metadata through write → parse', () => {
    const tensors = new Map<string, HostTensor>([
      ['a.weight', { shape: [2, 3], data: new Float32Array([1, -2.5, 3e-8, 4e9, 0, -0]) }],
      ['b', { shape: [], data: new Float32Array([7]) }],
    ]);
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const parsed = parseSafetensors(bytes);
    expect(parsed.metadata).toEqual({ format: 'pt' });
    expect([...parsed.tensors.keys()]).toEqual(['a.weight', 'b']);
    expect(parsed.tensors.get('a.weight')).toEqual(tensors.get('a.weight'));
    expect(parsed.tensors.get('b')).toEqual(tensors.get('b'));
  });

  it('reads F16 and BF16 as float32', () => {
    // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal 2^-24 = 0x0001.
    const f16 = new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001]).buffer);
    // BF16: 1.0 = 0x3F80, -3.0 = 0xC040.
    const bf16 = new Uint8Array(new Uint16Array([0x3f80, 0xc040]).buffer);
    const data = new Uint8Array([...f16, ...bf16]);
    const file = rawFile(
      { h: { dtype: 'F16', shape: [4], data_offsets: [0, 8] }, b: { dtype: 'BF16', shape: [2], data_offsets: [8, 12] } },
      data,
    );
    const parsed = parseSafetensors(file);
    expect(Array.from(parsed.tensors.get('h')!.data)).toEqual([1, -2, 65504, 2 ** -24]);
    expect(Array.from(parsed.tensors.get('b')!.data)).toEqual([1, -3]);
  });

  it('rejects broken files with errors that say what is wrong', () => {
    expect(() => parseSafetensors(new Uint8Array(4))).toThrow(/shorter than the 8-byte/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1000n, true);
    expect(() => parseSafetensors(huge)).toThrow(/header length 1000 exceeds/);
    const four = new Uint8Array(4);
    expect(() => parseSafetensors(rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, four))).toThrow(
      /truncated: its header describes 8 bytes of tensor data but only 4 are there \(4 bytes missing\)/,
    );
    expect(() => parseSafetensors(rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, four))).toThrow(
      /"x" spans 4 bytes but F32\[2\] needs 8/,
    );
    expect(() => parseSafetensors(rawFile({ x: { dtype: 'I64', shape: [], data_offsets: [0, 8] } }, new Uint8Array(8)))).toThrow(
      /"x" is stored as I64, which Expression Lab cannot use as weights; it reads F32, F16, BF16 and F64/,
    );
    const bad = rawFile({}, new Uint8Array(0));
    bad[8] = 0x7b + 1;
    expect(() => parseSafetensors(bad)).toThrow(/not valid JSON/);
  });

  it('reads F64 as float32, and integers only for num_batches_tracked', () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setFloat64(0, 0.5, true);
    new DataView(data.buffer).setBigInt64(8, 7n, true);
    const parsed = parseSafetensors(
      rawFile(
        {
          w: { dtype: 'F64', shape: [1], data_offsets: [0, 8] },
          'bn1.num_batches_tracked': { dtype: 'I64', shape: [], data_offsets: [8, 16] },
        },
        data,
      ),
    );
    expect(Array.from(parsed.tensors.get('w')!.data)).toEqual([0.5]);
    expect(parsed.converted).toEqual(['float64']);
  });

  it('refuses dtypes it cannot convert, naming the tensor and the dtype', () => {
    for (const dtype of ['F8_E4M3', 'I8', 'U64', 'C64']) {
      const file = rawFile({ 'conv1.weight': { dtype, shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1));
      expect(() => parseSafetensors(file)).toThrow(new RegExp(`"conv1\\.weight" is stored as ${dtype}, .*save_file`));
    }
  });

  it('says how many bytes a truncated body is missing', () => {
    const whole = writeSafetensors(new Map([['a', { shape: [100], data: new Float32Array(100) }]]));
    expect(() => parseSafetensors(whole.subarray(0, whole.length - 150))).toThrow(
      /^safetensors: the file is truncated: its header describes 400 bytes of tensor data but only 250 are there \(150 bytes missing\)\. Download or copy the file again\.$/,
    );
  });

  it('refuses offsets that overlap, run backwards or leave holes, whatever the header order', () => {
    const eight = new Uint8Array(8);
    const lies: [object, RegExp][] = [
      [
        { b: { dtype: 'F32', shape: [1], data_offsets: [2, 6] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } },
        /lies about where the tensors are: tensors "a" \(bytes 0–4\) and "b" \(bytes 2–6\) overlap/,
      ],
      [{ a: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, /"a" ends \(byte 0\) before it begins \(byte 8\)/],
      [{ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, /bytes 0–4 of the data section belong to no tensor/],
      [{ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, /bytes 4–8 of the data section belong to no tensor/],
    ];
    for (const [header, message] of lies) expect(() => parseSafetensors(rawFile(header, eight))).toThrow(message);
    // Out of header order but contiguous is a valid file (the reference writer sorts by dtype, then name).
    const ok = parseSafetensors(
      rawFile({ b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }, a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, eight),
    );
    expect([...ok.tensors.keys()]).toEqual(['b', 'a']);
  });
});
