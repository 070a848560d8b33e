/**
 * Reader and writer for the safetensors format: an 8-byte little-endian header length N, N bytes
 * of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {string: string} }`,
 * then the raw little-endian data, offsets relative to the end of the header. Written here rather
 * than imported: npm's `safetensors` package is a 0.0.1 stub, and the format is this small.
 * Reading converts F16, BF16 and F64 to float32 (integers only for `num_batches_tracked`); writing
 * produces F32 only.
 */
import { decodeToFloat32, DTYPE_BYTES, type WeightDtype } from './dtypes.ts';
import { damagedOffsets, truncatedSafetensors, unsupportedDtype } from './weights-messages.ts';

/** One tensor in row-major order, in whatever layout its producer used (torch's, here). */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** A parsed file: tensors in header order, plus the optional string metadata. */
export interface SafetensorsContents {
  readonly tensors: Map<string, HostTensor>;
  readonly metadata: Record<string, string>;
  /** Float dtypes converted to float32 ('float16', 'bfloat16', 'float64'), for the load summary. */
  readonly converted: readonly string[];
}

/** safetensors dtype → how to decode it. Integers are read only for BatchNorm's `num_batches_tracked`. */
const DTYPES: Readonly<Record<string, WeightDtype>> = {
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  F64: 'float64',
  I64: 'int64',
  I32: 'int32',
  I16: 'int16',
  I8: 'int8',
  U8: 'uint8',
  BOOL: 'bool',
};
const FLOATS = new Set<WeightDtype>(['float32', 'float16', 'bfloat16', 'float64']);
/** Headers past this are surely corruption (torchvision's ResNet50 header is ~30 KB). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

interface Entry {
  readonly name: string;
  readonly dtype: WeightDtype;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

/** One header entry, checked on its own: a known dtype, a shape, offsets that span exactly its bytes. */
function readEntry(name: string, entry: unknown): Entry {
  const { dtype, shape, data_offsets: offsets } = (entry ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== 'string') throw new Error(`safetensors: tensor "${name}" has no dtype`);
  const decoded = DTYPES[dtype];
  if (decoded === undefined || (!FLOATS.has(decoded) && !name.endsWith('num_batches_tracked')))
    throw new Error(unsupportedDtype(name, dtype));
  if (!Array.isArray(shape) || !shape.every(isNonNegInt))
    throw new Error(`safetensors: tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegInt)) {
    throw new Error(`safetensors: tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw new Error(damagedOffsets(`tensor "${name}" ends (byte ${end}) before it begins (byte ${begin})`));
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== count * DTYPE_BYTES[decoded]) {
    throw new Error(
      damagedOffsets(`tensor "${name}" spans ${end - begin} bytes but ${dtype}[${shape.join(', ')}] needs ${count * DTYPE_BYTES[decoded]}`),
    );
  }
  return { name, dtype: decoded, shape: [...(shape as number[])], begin, end };
}

/**
 * The data section must be exactly the tensors' bytes, each once (the format's own rule; the
 * reference implementation refuses the same files): a header whose offsets reach past the file
 * means a truncated file, one whose offsets overlap or leave holes is damaged.
 */
function checkLayout(entries: readonly Entry[], dataLength: number): void {
  const described = entries.reduce((n, e) => Math.max(n, e.end), 0);
  if (described > dataLength) throw new Error(truncatedSafetensors(described, dataLength));
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < at && previous)
      throw new Error(
        damagedOffsets(
          `tensors "${previous.name}" (bytes ${previous.begin}–${previous.end}) and "${e.name}" (bytes ${e.begin}–${e.end}) overlap`,
        ),
      );
    if (e.begin > at) throw new Error(damagedOffsets(`bytes ${at}–${e.begin} of the data section belong to no tensor`));
    at = e.end;
    previous = e;
  }
  if (at < dataLength) throw new Error(damagedOffsets(`bytes ${at}–${dataLength} of the data section belong to no tensor`));
}

/**
 * Parses a .safetensors file. Throws an Error naming the offending tensor on any inconsistency.
 * F16, BF16 and F64 tensors are converted to float32 and listed in `converted`.
 */
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
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') metadata = (entry ?? {}) as Record<string, string>;
    else entries.push(readEntry(name, entry));
  }
  checkLayout(entries, bytes.length - dataStart);
  const tensors = new Map<string, HostTensor>();
  const converted = new Set<WeightDtype>();
  for (const { name, dtype, shape, begin, end } of entries) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (dtype !== 'float32' && FLOATS.has(dtype)) converted.add(dtype);
    const data = decodeToFloat32(dtype, new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, end - begin), count);
    tensors.set(name, { shape, data });
  }
  return { tensors, metadata, converted: [...converted] };
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
