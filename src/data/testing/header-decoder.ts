/**
 * Test support: an `ImageDecoder` for Node, which has no `createImageBitmap`. It reads the real
 * size and channel count from JPEG (SOF marker), PNG (IHDR) and GIF headers and throws, like a
 * browser would, on unknown or truncated data; the pixels it returns are a constant gray.
 * Real pixel decoding is covered in Chromium with `createBrowserImageDecoder`.
 */
import type { RawImage } from '../../shared/types.ts';
import type { ImageDecoder } from '../dataset.ts';
import { findTruncation, sniffImageFormat } from '../image-sniff.ts';

function image(width: number, height: number, channels: 1 | 3): RawImage {
  if (width < 1 || height < 1) throw new Error(`image declares an empty size ${width}x${height}`);
  return { width, height, channels, pixels: new Uint8Array(width * height * channels).fill(128) };
}

function jpegHeader(bytes: Uint8Array): RawImage {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`corrupt JPEG: expected a marker at byte ${at}`);
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      if (at + 10 > bytes.length) break;
      const height = ((bytes[at + 5] as number) << 8) | (bytes[at + 6] as number);
      const width = ((bytes[at + 7] as number) << 8) | (bytes[at + 8] as number);
      return image(width, height, bytes[at + 9] === 1 ? 1 : 3);
    }
    if (marker === 0xda) break;
    at += 2 + length;
  }
  throw new Error('corrupt JPEG: no frame header before the image data');
}

/** A header-only decoder for Node tests; see the module comment. */
export const headerDecoder: ImageDecoder = async (bytes) => {
  const format = sniffImageFormat(bytes);
  if (format === null) throw new Error('unknown image format');
  const truncation = findTruncation(bytes, format);
  if (truncation !== null) throw new Error(truncation);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'jpeg':
      return jpegHeader(bytes);
    case 'png': {
      if (bytes.length < 33) throw new Error('corrupt PNG: header too short');
      const colorType = bytes[25];
      return image(view.getUint32(16), view.getUint32(20), colorType === 0 || colorType === 4 ? 1 : 3);
    }
    case 'gif':
      return image(view.getUint16(6, true), view.getUint16(8, true), 3);
    default:
      throw new Error(`${format} is not supported by the test decoder`);
  }
};
