/**
 * Cheap checks on encoded image bytes, done before decoding: which format the bytes really are
 * (magic numbers, not the file name) and whether the file is obviously truncated. Browsers happily
 * decode the top half of a truncated JPEG as a grey-bottomed picture, so we refuse those here.
 */

/** Encoded formats the browser decoder accepts. */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp';

/** File extensions (lower case, no dot) treated as images. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['jpg', 'jpeg', 'jpe', 'jfif', 'png', 'gif', 'webp', 'bmp']);

/** Lower-case extension of a path's file name without the dot, or '' if it has none. */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((value, i) => bytes[offset + i] === value);
}

/** Identifies the image format from its magic bytes, or returns null if the bytes are not an image we read. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(bytes, [0x42, 0x4d]) && bytes.length > 26) return 'bmp';
  return null;
}

function lastIndexOfPair(bytes: Uint8Array, a: number, b: number, window: number): number {
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - window); i--) {
    if (bytes[i] === a && bytes[i + 1] === b) return i;
  }
  return -1;
}

function containsAscii(bytes: Uint8Array, text: string, window: number): boolean {
  const codes = Array.from(text, (c) => c.charCodeAt(0));
  for (let i = bytes.length - codes.length; i >= Math.max(0, bytes.length - window); i--) {
    if (codes.every((code, k) => bytes[i + k] === code)) return true;
  }
  return false;
}

/**
 * Returns why the bytes are not a whole image file (for the skipped list), or null if they look complete.
 * JPEG must end with an EOI marker (trailing padding allowed), PNG with an IEND chunk, GIF with its trailer.
 */
export function findTruncation(bytes: Uint8Array, format: ImageFormat): string | null {
  switch (format) {
    case 'jpeg':
      return lastIndexOfPair(bytes, 0xff, 0xd9, 1024) < 0 ? 'truncated JPEG (no end-of-image marker)' : null;
    case 'png':
      return containsAscii(bytes, 'IEND', 1024) ? null : 'truncated PNG (no IEND chunk)';
    case 'gif':
      return bytes.lastIndexOf(0x3b) < 0 ? 'truncated GIF (no trailer)' : null;
    case 'webp': {
      const declared = ((bytes[4] ?? 0) | ((bytes[5] ?? 0) << 8) | ((bytes[6] ?? 0) << 16) | ((bytes[7] ?? 0) << 24)) >>> 0;
      return bytes.length < declared + 8 ? `truncated WebP (${bytes.length} of ${declared + 8} bytes)` : null;
    }
    case 'bmp': {
      const declared = ((bytes[2] ?? 0) | ((bytes[3] ?? 0) << 8) | ((bytes[4] ?? 0) << 16) | ((bytes[5] ?? 0) << 24)) >>> 0;
      return declared > 0 && bytes.length < declared ? `truncated BMP (${bytes.length} of ${declared} bytes)` : null;
    }
  }
}
