/**
 * Reads a zip's central directory without inflating anything, so that encrypted entries and
 * zip bombs are refused up front, then inflates one entry at a time (fflate) so the inflated
 * bytes of an image live only until it is decoded.
 */
import { inflateSync } from 'fflate';

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
const utf8 = new TextDecoder('utf-8');

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
export function readZipDirectory(bytes: Uint8Array, name: string): ZipEntry[] {
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
  const entries: ZipEntry[] = [];
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
    const path = utf8.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const method = view.getUint16(at + 10, true);
    entries.push({ path, method, size, compressedSize, localHeaderOffset, encrypted: (flags & 1) === 1, isDirectory: path.endsWith('/') });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
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
  if (entry.method === 0) return raw.slice();
  if (entry.method !== 8) throw new Error(`compressed with method ${entry.method}, which we cannot read; re-zip with standard Deflate`);
  let out: Uint8Array;
  try {
    // A fixed output buffer of the declared size: a lying entry cannot inflate past it.
    out = inflateSync(raw, { out: new Uint8Array(entry.size) });
  } catch (error) {
    throw new Error(`damaged zip entry (${error instanceof Error ? error.message : String(error)})`);
  }
  if (out.length !== entry.size) throw new Error(`damaged zip entry (inflated ${out.length} of ${entry.size} bytes)`);
  return out;
}
