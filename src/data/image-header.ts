/**
 * What an image's header says before any pixel is decoded: its size (npm `image-size`), so an
 * image too large to decode is refused from its header, whether it is animated, and what a file we
 * cannot read really holds (an SVG renamed `.png`, an iPhone HEIC), so the skip reason can say so.
 */
import { imageSize } from 'image-size';
import { formatBytes } from '../shared/format.ts';
import type { ImageFormat } from './image-sniff.ts';

/**
 * Largest image decoded, in pixels: 50 megapixels (an 8,660 × 5,773 photo) is 200 MB as the RGBA the
 * browser decodes into, with several decodes in flight. A 20,000 × 20,000 image would be 1.6 GB (1.5 GiB).
 */
export const MAX_IMAGE_PIXELS = 50_000_000;

const count = new Intl.NumberFormat('en-US');

/** The width and height the header declares, or null when the header cannot be read. */
export function declaredSize(bytes: Uint8Array): { width: number; height: number } | null {
  try {
    const { width, height } = imageSize(bytes);
    return width > 0 && height > 0 ? { width, height } : null;
  } catch {
    return null;
  }
}

/** Why an image is too large to decode (for the skipped list), from its header alone; null when it is not. */
export function tooLargeReason(bytes: Uint8Array): string | null {
  const size = declaredSize(bytes);
  if (size === null || size.width * size.height <= MAX_IMAGE_PIXELS) return null;
  const { width, height } = size;
  return (
    `${count.format(width)} × ${count.format(height)} pixels, over the ${MAX_IMAGE_PIXELS / 1e6}-megapixel limit for one image:` +
    ` not decoded (it would take ${formatBytes(width * height * 4)} of memory). Downscale it (the model sees at most 512 px) and add it again`
  );
}

function gifFrames(bytes: Uint8Array, stopAt: number): number {
  let at = 13;
  const packed = bytes[10] ?? 0;
  if (packed & 0x80) at += 3 * 2 ** ((packed & 7) + 1);
  const skipSubBlocks = (): void => {
    while (at < bytes.length && bytes[at] !== 0) at += (bytes[at] as number) + 1;
    at++;
  };
  let frames = 0;
  while (at < bytes.length && frames < stopAt) {
    const block = bytes[at];
    if (block === 0x2c) {
      frames++;
      const local = bytes[at + 9] ?? 0;
      at += 10 + (local & 0x80 ? 3 * 2 ** ((local & 7) + 1) : 0) + 1;
      skipSubBlocks();
    } else if (block === 0x21) {
      at += 2;
      skipSubBlocks();
    } else {
      break;
    }
  }
  return frames;
}

function pngChunkBefore(bytes: Uint8Array, wanted: string, before: string): DataView | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const name = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  for (let at = 8; at + 8 <= bytes.length; at += 12 + view.getUint32(at)) {
    const type = name(at + 4);
    if (type === wanted) return new DataView(bytes.buffer, bytes.byteOffset + at + 8, Math.min(view.getUint32(at), bytes.length - at - 8));
    if (type === before) return null;
  }
  return null;
}

/** True for an animated GIF (2 or more frames), animated WebP (VP8X animation flag) or APNG (acTL with 2 or more frames). */
export function isAnimated(bytes: Uint8Array, format: ImageFormat): boolean {
  switch (format) {
    case 'gif':
      return gifFrames(bytes, 2) >= 2;
    case 'webp':
      return String.fromCharCode(...bytes.subarray(12, 16)) === 'VP8X' && ((bytes[20] ?? 0) & 0x02) !== 0;
    case 'png': {
      const control = pngChunkBefore(bytes, 'acTL', 'IDAT');
      return control !== null && control.byteLength >= 4 && control.getUint32(0) >= 2;
    }
    default:
      return false;
  }
}

const OTHER_FORMATS: Readonly<Record<string, string>> = {
  svg: 'an SVG drawing',
  heif: 'a HEIF image',
  heic: 'a HEIC photo (as iPhones save them)',
  avif: 'an AVIF image',
  tiff: 'a TIFF image',
  psd: 'a Photoshop document',
  jxl: 'a JPEG XL image',
  'jxl-stream': 'a JPEG XL image',
  jp2: 'a JPEG 2000 image',
  j2c: 'a JPEG 2000 image',
  ico: 'an icon file',
  icns: 'an icon file',
};

/** The skip reason of a file whose content is not JPEG, PNG, GIF, WebP or BMP, naming what it is when its header says. */
export function unreadableContentReason(bytes: Uint8Array): string {
  let kind: string | undefined;
  try {
    const type = imageSize(bytes).type;
    kind = type === undefined ? undefined : OTHER_FORMATS[type];
  } catch {
    kind = undefined;
  }
  return kind === undefined
    ? 'not a readable image (its content is not JPEG, PNG, GIF, WebP or BMP)'
    : `not a readable image: its content is ${kind}, whatever its name says; export it as PNG or JPEG`;
}
