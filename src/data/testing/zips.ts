/** Test support: tiny images and zips built in memory with fflate, so no binary fixtures are committed. */
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { DatasetSource } from '../../shared/protocol.ts';

/** A minimal JPEG structure (SOI, SOF0, SOS, EOI) of the given size; `truncated` drops the end. */
export function tinyJpeg(width: number, height: number, options: { gray?: boolean; truncated?: boolean } = {}): Uint8Array {
  const components = options.gray === false ? 3 : 1;
  const bytes = [0xff, 0xd8, 0xff, 0xc0, 0x00, 8 + 3 * components, 8, height >> 8, height & 255, width >> 8, width & 255, components];
  for (let c = 0; c < components; c++) bytes.push(c + 1, 0x11, 0);
  bytes.push(0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00);
  for (let i = 0; i < 64; i++) bytes.push((i * 37) & 0x7f);
  if (!options.truncated) bytes.push(0xff, 0xd9);
  return new Uint8Array(bytes);
}

/** A minimal PNG structure (signature, IHDR, IEND); CRCs are not valid, the header decoder does not check them. */
export function tinyPng(width: number, height: number, colorType = 0): Uint8Array {
  const bytes = new Uint8Array(8 + 25 + 12);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, 13);
  bytes.set(strToU8('IHDR'), 12);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes[24] = 8;
  bytes[25] = colorType;
  bytes.set(strToU8('IEND'), 8 + 25 + 4);
  return bytes;
}

/**
 * One modification time for every entry of a test zip: fflate stamps the current time by default,
 * so two zips of the same files made a second apart differed in their headers.
 */
export const FIXTURE_ZIP_OPTIONS = { level: 1, mtime: new Date(2020, 0, 1) } as const;

/** Zips `files` (path → bytes or text) with fflate's `zipSync`; same files, same bytes. */
export function makeZip(files: Record<string, Uint8Array | string>): Uint8Array {
  const zippable: Zippable = {};
  for (const [path, content] of Object.entries(files)) zippable[path] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(zippable, FIXTURE_ZIP_OPTIONS);
}

/** An `archive` dataset source for bytes. */
export function archiveSource(name: string, bytes: Uint8Array): DatasetSource {
  return { kind: 'archive', name, data: bytes.slice().buffer };
}

/** A `files` dataset source, as a dropped folder gives. */
export function filesSource(name: string, files: Record<string, Uint8Array | string>): DatasetSource {
  return {
    kind: 'files',
    name,
    files: Object.entries(files).map(([path, content]) => ({
      path,
      data: (typeof content === 'string' ? strToU8(content) : content).slice().buffer,
    })),
  };
}

/** Calls `patch(view, offset)` for every central-directory header of a zip (to fake sizes or flags). */
export function patchCentralDirectory(zip: Uint8Array, patch: (view: DataView, at: number) => void): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  for (let at = 0; at + 4 <= copy.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    patch(view, at);
    at += 45;
  }
  return copy;
}

/** `count` class folders × `perClass` tiny JPEGs under `prefix` (e.g. "train/"). */
export function classFolders(prefix: string, classes: readonly string[], perClass: number): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const name of classes) for (let i = 0; i < perClass; i++) files[`${prefix}${name}/${name}_${i}.jpg`] = tinyJpeg(48, 48);
  return files;
}

/** One entry of `rawZip`: the name as raw bytes, and data already compressed as `method` says. */
export interface RawZipEntry {
  readonly name: Uint8Array | string;
  readonly data: Uint8Array;
  /** 0 stored, 8 Deflate (default 0). */
  readonly method?: number;
  /** The uncompressed size the headers declare (default: `data.length`): a zip bomb lies here. */
  readonly size?: number;
  /** General purpose flags (bit 11: the name is UTF-8); default 0. */
  readonly flags?: number;
  readonly extra?: Uint8Array;
}

/**
 * A zip written field by field, for what fflate's `zipSync` will not write: names in legacy code
 * pages without the UTF-8 flag, sizes that lie, Deflate data made elsewhere. CRCs are 0 (not checked on read).
 */
export function rawZip(entries: readonly RawZipEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? strToU8(entry.name) : entry.name;
    const extra = entry.extra ?? new Uint8Array(0);
    const local = new Uint8Array(30 + name.length + entry.data.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, entry.flags ?? 0, true);
    lv.setUint16(8, entry.method ?? 0, true);
    lv.setUint32(18, entry.data.length, true);
    lv.setUint32(22, entry.size ?? entry.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    local.set(entry.data, 30 + name.length);
    const central = new Uint8Array(46 + name.length + extra.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, entry.flags ?? 0, true);
    cv.setUint16(10, entry.method ?? 0, true);
    cv.setUint32(20, entry.data.length, true);
    cv.setUint32(24, entry.size ?? entry.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    central.set(extra, 46 + name.length);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const directorySize = centrals.reduce((sum, c) => sum + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, directorySize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + directorySize + 22);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
