/**
 * Reader and writer for the safetensors format: an 8-byte little-endian header length N, N bytes
 * of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {string: string} }`,
 * then the raw little-endian data, offsets relative to the end of the header. Written here rather
 * than imported: npm's `safetensors` package is a 0.0.1 stub, and the format is this small.
 * Reading converts F32, F16 and BF16 to float32; writing produces F32 only.
 */
import { decodeToFloat32, type WeightDtype } from './dtypes.ts';

/** One tensor in row-major order, in whatever layout its producer used (torch's, here). */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A parsed file: tensors in header order, plus the optional string metadata. */
export interface SafetensorsContents {
  readonly tensors: Map<string, HostTensor>;
  readonly metadata: Record<string, string>;
}

const BYTES_PER_ELEMENT: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };
const DTYPES: Record<string, WeightDtype> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };
/** Headers past this are surely corruption (torchvision's ResNet50 header is ~30 KB). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Parses a .safetensors file. Throws an Error naming the offending tensor on any inconsistency. */
export function parseSafetensors(bytes: Uint8Array): SafetensorsContents {
  if (bytes.length < 8) throw new Error(`safetensors: file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(bytes.length - 8, MAX_HEADER_BYTES))) {
    throw new Error(`safetensors: header length ${headerLength} exceeds the file (${bytes.length} bytes); not a safetensors file?`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    throw new Error(`safetensors: header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error('safetensors: header is not a JSON object');
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, HostTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string') throw new Error(`safetensors: tensor "${name}" has no dtype`);
    const size = BYTES_PER_ELEMENT[dtype];
    if (size === undefined) throw new Error(`safetensors: tensor "${name}" has dtype ${dtype}; only F32, F16 and BF16 are supported`);
    if (!Array.isArray(shape) || !shape.every(isNonNegInt))
      throw new Error(`safetensors: tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegInt)) {
      throw new Error(`safetensors: tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (begin > end || end > dataLength)
      throw new Error(
        `safetensors: tensor "${name}" data_offsets [${begin}, ${end}] fall outside the ${dataLength}-byte data section: the file is truncated or damaged; download or copy it again`,
      );
    if (end - begin !== count * size) {
      throw new Error(`safetensors: tensor "${name}" spans ${end - begin} bytes but ${dtype}[${shape.join(', ')}] needs ${count * size}`);
    }
    const data = decodeToFloat32(
      DTYPES[dtype] ?? 'float32',
      new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin),
      count,
    );
    tensors.set(name, { shape: [...(shape as number[])], data });
  }
  return { tensors, metadata };
}

/** Writes tensors (in map order) as F32 safetensors. Header padded with spaces to 8-byte alignment. */
export function writeSafetensors(tensors: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new Error(`safetensors: tensor "${name}" has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + count * 4] };
    offset += count * 4;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++, at += 4) view.setFloat32(at, t.data[i] ?? 0, true);
  }
  return out;
}
