/** Path rules shared by zip and loose-file imports: normalisation and what counts as junk. */
import { IMAGE_EXTENSIONS, extensionOf } from './image-sniff.ts';

const JUNK_NAMES: ReadonlySet<string> = new Set(['thumbs.db', 'desktop.ini', '.ds_store', 'ehthumbs.db']);

/** Forward slashes, no leading `./` or `/`, no empty segments. */
export function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
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
  return ext === '' ? 'not an image (no file extension)' : `not an image (.${ext} file)`;
}

/** True for a path ending in `.csv` (any case). */
export function isCsvPath(path: string): boolean {
  return extensionOf(path) === 'csv';
}
