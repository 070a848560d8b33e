/**
 * Reads a zip's central directory without inflating anything, so that encrypted entries and
 * zip bombs are refused up front, then inflates one entry at a time (fflate) so the inflated
 * bytes of an image live only until it is decoded.
 */
import { Inflate, inflateSync } from 'fflate';
import { formatBytes } from '../shared/format.ts';
import { decodeZipNames, unicodePathOf, type ZipNameEncoding } from './zip-names.ts';

/** One file listed in the central directory. */
export interface ZipEntry {
  readonly path: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  readonly encrypted: boolean;
  readonly isDirectory: boolean;
}

/** Largest single entry we will inflate; beyond this a browser tab cannot hold it reliably. */
export const MAX_ENTRY_BYTES = 1024 ** 3;
const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** Compressed bytes handed to the inflater at a time: at Deflate's 1032:1 at most, 17 MB out per step. */
const INFLATE_STEP = 16 * 1024;

/** A zip's entries, and how names without a UTF-8 mark were read (null when every name was UTF-8). */
export interface ZipDirectory {
  readonly entries: ZipEntry[];
  readonly legacyNames: Exclude<ZipNameEncoding, 'utf-8'> | null;
}

/** True when the bytes start like a zip (local header, or the end record of an empty zip). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)
  );
}

function corrupt(name: string, detail: string): Error {
  return new Error(`"${name}" is not a readable zip (${detail}). It may be incomplete or damaged: download or re-create it and try again.`);
}

function findEndRecord(view: DataView): number {
  const stop = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= stop; at--) {
    if (view.getUint32(at, true) === EOCD) return at;
  }
  return -1;
}

function readZip64Extra(view: DataView, at: number, length: number, wanted: number[]): number[] {
  const values = [...wanted];
  for (let p = at; p + 4 <= at + length;) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === 0x0001) {
      let q = p + 4;
      for (let i = 0; i < values.length; i++) {
        if (values[i] === 0xffffffff && q + 8 <= p + 4 + size) {
          values[i] = Number(view.getBigUint64(q, true));
          q += 8;
        }
      }
    }
    p += 4 + size;
  }
  return values;
}

/** Lists the entries of a zip from its central directory. Throws a user-facing Error if it is unreadable. */
export function readZipDirectory(bytes: Uint8Array, name: string): ZipDirectory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length >= 22 ? findEndRecord(view) : -1;
  if (end < 0) throw corrupt(name, 'its table of contents, the central directory, is missing');
  let count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  if ((count === 0xffff || offset === 0xffffffff) && end >= 20 && view.getUint32(end - 20, true) === ZIP64_LOCATOR) {
    const record = Number(view.getBigUint64(end - 12, true));
    if (record + 56 > bytes.length) throw corrupt(name, 'the zip64 end record points outside the file');
    count = Number(view.getBigUint64(record + 32, true));
    offset = Number(view.getBigUint64(record + 48, true));
  }
  const entries: Omit<ZipEntry, 'path' | 'isDirectory'>[] = [];
  const names: { bytes: Uint8Array; utf8Flag: boolean; unicodePath?: string }[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL_HEADER) {
      throw corrupt(name, `entry ${i + 1} of ${count} in the central directory is damaged`);
    }
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const [size, compressedSize, localHeaderOffset] = readZip64Extra(view, at + 46 + nameLength, extraLength, [
      view.getUint32(at + 24, true),
      view.getUint32(at + 20, true),
      view.getUint32(at + 42, true),
    ]) as [number, number, number];
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const unicodePath = unicodePathOf(bytes.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), nameBytes);
    names.push({ bytes: nameBytes, utf8Flag: (flags & 0x800) !== 0, ...(unicodePath === undefined ? {} : { unicodePath }) });
    const method = view.getUint16(at + 10, true);
    entries.push({ method, size, compressedSize, localHeaderOffset, encrypted: (flags & 1) === 1 });
    at += 46 + nameLength + extraLength + commentLength;
  }
  const decoded = decodeZipNames(names);
  return {
    entries: entries.map((entry, i) => {
      const path = decoded.names[i] ?? '';
      return { ...entry, path, isDirectory: path.endsWith('/') };
    }),
    legacyNames: decoded.legacy,
  };
}

function bombError(size: number): Error {
  return new Error(
    `damaged zip entry (it inflates to more than the ${formatBytes(size)} its header declares: a zip bomb or a damaged zip; stopped there)`,
  );
}

/**
 * Inflates Deflate data into exactly `size` bytes, a step at a time, and stops as soon as the output
 * would pass `size`: an entry whose header lies about its size (a zip bomb made to slip past the
 * declared-size check) is caught after at most one step, never inflated to the end.
 */
function inflateBounded(raw: Uint8Array, size: number): Uint8Array {
  if (raw.length <= INFLATE_STEP) {
    // One step anyway: inflate in one call into a buffer one byte too long; fflate drops what does not fit.
    const whole = inflateSync(raw, { out: new Uint8Array(size + 1) });
    if (whole.length > size) throw bombError(size);
    if (whole.length !== size) throw new Error(`damaged zip entry (inflated ${whole.length} of ${size} bytes)`);
    return whole.subarray(0, size);
  }
  const out = new Uint8Array(size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > size) throw bombError(size);
    out.set(chunk, written);
    written += chunk.length;
  });
  for (let at = 0; at < raw.length; at += INFLATE_STEP) {
    inflater.push(raw.subarray(at, at + INFLATE_STEP), at + INFLATE_STEP >= raw.length);
  }
  if (raw.length === 0) inflater.push(raw, true);
  if (written !== size) throw new Error(`damaged zip entry (inflated ${written} of ${size} bytes)`);
  return out;
}

/**
 * Inflates one entry. Throws an Error whose message is a reason for the skipped list
 * (unsupported compression, damaged data, size mismatch).
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_HEADER) throw new Error('damaged zip entry (bad local header)');
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const raw = bytes.subarray(start, start + entry.compressedSize);
  if (raw.length < entry.compressedSize) throw new Error('damaged zip entry (data runs past the end of the zip)');
  if (entry.method === 0) {
    if (entry.size !== entry.compressedSize)
      throw new Error(`damaged zip entry (stored ${entry.compressedSize} bytes, declared ${entry.size})`);
    return raw.slice();
  }
  if (entry.method !== 8) throw new Error(`compressed with method ${entry.method}, which we cannot read; re-zip with standard Deflate`);
  try {
    return inflateBounded(raw, entry.size);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.startsWith('damaged zip entry') ? message : `damaged zip entry (${message})`);
  }
}
