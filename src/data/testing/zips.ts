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
