/**
 * Decodes grayscale JPEGs (FER2013 and most face crops) with the WebCodecs `ImageDecoder`, straight
 * from the bytes: about 2.4× the throughput of `createImageBitmap`, whose Blob costs a registration
 * with, and a read back from, the browser process per image.
 */
import type { RawImage } from '../shared/types.ts';
import type { ImageDecoder as DecodeImage } from './dataset.ts';
import { packPixels } from './browser-decoder.ts';

/** Frame layouts whose bytes are the decoded RGB samples themselves (no colour conversion on copy). */
const RGB_FRAME_FORMATS: ReadonlySet<VideoPixelFormat> = new Set(['RGBA', 'RGBX', 'BGRA', 'BGRX']);

/** Whether this JavaScript realm has WebCodecs' `ImageDecoder` (Chrome 94+, in workers too). */
export function hasWebCodecsImageDecoder(): boolean {
  return typeof globalThis.ImageDecoder === 'function' && typeof globalThis.VideoFrame === 'function';
}

const isStandalone = (marker: number): boolean => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8);
const isStartOfFrame = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Colour components of a JPEG from its start-of-frame header (1 for grayscale), or null if none is found. */
export function jpegComponentCount(bytes: Uint8Array): number | null {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1] as number;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (isStartOfFrame(marker)) return bytes[at + 9] as number;
    if (marker === 0xd9 || marker === 0xda) return null;
    at += isStandalone(marker) ? 2 : 2 + (((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number));
  }
  return null;
}

/**
 * An image decoder that uses WebCodecs for grayscale JPEGs and hands everything else to `other`.
 * Colour JPEGs come out of WebCodecs as YUV (I420) frames, whose conversion to RGB differs from the
 * browser's own JPEG-to-RGB by up to 15 levels, so they keep going through `other`; grayscale ones come
 * out as RGB frames equal to `createImageBitmap`'s pixels. A JPEG WebCodecs rejects is retried with
 * `other`, so corrupt files are reported with the same reasons as before.
 */
export function createWebCodecsImageDecoder(other: DecodeImage): DecodeImage {
  const supported = hasWebCodecsImageDecoder() ? ImageDecoder.isTypeSupported('image/jpeg').catch(() => false) : Promise.resolve(false);
  return async (bytes: Uint8Array, path: string): Promise<RawImage> => {
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8 || jpegComponentCount(bytes) !== 1 || !(await supported)) return other(bytes, path);
    const decoder = new ImageDecoder({
      data: bytes,
      type: 'image/jpeg',
      colorSpaceConversion: 'none',
      preferAnimation: false,
    });
    let image: VideoFrame | null = null;
    try {
      image = (await decoder.decode({ frameIndex: 0, completeFramesOnly: true })).image;
      const { displayWidth: width, displayHeight: height, format } = image;
      if (format === null || !RGB_FRAME_FORMATS.has(format) || width === 0 || height === 0) return await other(bytes, path);
      const rgba = new Uint8ClampedArray(width * height * 4);
      await image.copyTo(rgba, { format: 'RGBA', colorSpace: 'srgb' });
      return packPixels(rgba, width, height);
    } catch (error) {
      if (error instanceof RangeError) throw error;
      return other(bytes, path);
    } finally {
      image?.close();
      decoder.close();
    }
  };
}
