/** Path rules shared by zip and loose-file imports: normalisation and what counts as junk. */
import { IMAGE_EXTENSIONS, extensionOf } from './image-sniff.ts';

/** Why a zip inside a dataset that also holds images (or other zips) is not opened. */
export const NESTED_ZIP_REASON =
  'a zip inside the dataset: not opened (only a zip holding nothing but one zip is); unzip it and add its folders instead';

const JUNK_NAMES: ReadonlySet<string> = new Set(['thumbs.db', 'desktop.ini', '.ds_store', 'ehthumbs.db']);

/** Forward slashes, no leading `./`, `/` or drive letter (`C:/`), no empty segments. */
export function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^[A-Za-z]:(?=\/)/, '')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/** True when a path climbs out of its folder: a `..` segment (with either slash). Such a path is never resolved. */
export function climbsOut(path: string): boolean {
  return path.split(/[\\/]/).includes('..');
}

/** True when a path starts at a root (`/x.png`, `\\x.png`, `C:/x.png`); `normalisePath` reads it as relative. */
export function startsAtRoot(path: string): boolean {
  return /^([\\/]|[A-Za-z]:[\\/])/.test(path);
}

/** Path segments of a normalised path. */
export function segmentsOf(path: string): string[] {
  return path === '' ? [] : path.split('/');
}

/**
 * Why a file is junk that must never be treated as data (OS metadata, hidden files), or null.
 * These are skipped and listed, never fatal.
 */
export function junkReason(path: string): string | null {
  const segments = segmentsOf(path);
  if (segments.some((s) => s === '__MACOSX')) return 'macOS resource fork (__MACOSX)';
  const name = segments[segments.length - 1] ?? '';
  if (JUNK_NAMES.has(name.toLowerCase())) return `operating-system metadata file (${name})`;
  if (segments.slice(0, -1).some((s) => s.startsWith('.'))) return 'inside a hidden folder';
  if (name.startsWith('.')) return 'hidden file';
  return null;
}

/** Why a file name is not an image we read (by extension), or null if its extension is an image one. */
export function nonImageReason(path: string): string | null {
  const ext = extensionOf(path);
  if (IMAGE_EXTENSIONS.has(ext)) return null;
  if (ext === 'zip') return NESTED_ZIP_REASON;
  return ext === '' ? 'not an image (no file extension)' : `not an image (.${ext} file)`;
}

/** True for a path ending in `.csv` (any case). */
export function isCsvPath(path: string): boolean {
  return extensionOf(path) === 'csv';
}
