/**
 * Decodes images in a Web Worker with the browser's own codecs (JPEG, PNG, WebP, BMP, GIF's
 * first frame), off the worker's thread: `createImageBitmap` then an `OffscreenCanvas` readback.
 */
import type { RawImage } from '../shared/types.ts';
import type { ImageDecoder } from './dataset.ts';

/** Keeps 1 channel when every pixel has R = G = B (grayscale), else 3 (RGB); alpha is dropped. */
export function packPixels(rgba: Uint8ClampedArray, width: number, height: number): RawImage {
  const count = width * height;
  let gray = true;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) {
      gray = false;
      break;
    }
  }
  const channels = gray ? 1 : 3;
  const pixels = new Uint8Array(count * channels);
  if (gray) {
    for (let p = 0; p < count; p++) pixels[p] = rgba[p * 4] as number;
  } else {
    for (let p = 0; p < count; p++) {
      pixels[p * 3] = rgba[p * 4] as number;
      pixels[p * 3 + 1] = rgba[p * 4 + 1] as number;
      pixels[p * 3 + 2] = rgba[p * 4 + 2] as number;
    }
  }
  return { width, height, channels, pixels };
}

/**
 * An `ImageDecoder` for the worker. One `OffscreenCanvas` is kept per image size (FER2013 needs
 * one) with `willReadFrequently`, so readback stays on the CPU; every bitmap is closed.
 * Draw and readback run without an `await` between them, so concurrent calls can share a canvas.
 * Throws an Error with the browser's reason for corrupt or unsupported data.
 */
export function createBrowserImageDecoder(): ImageDecoder {
  const contexts = new Map<string, OffscreenCanvasRenderingContext2D>();
  const contextFor = (width: number, height: number): OffscreenCanvasRenderingContext2D => {
    const key = `${width}x${height}`;
    let context = contexts.get(key);
    if (!context) {
      const created = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
      if (!created) throw new Error('this browser cannot create a 2D OffscreenCanvas to read pixels');
      if (contexts.size > 32) contexts.clear();
      contexts.set(key, created);
      context = created;
    }
    return context;
  };

  return async (bytes: Uint8Array, path: string): Promise<RawImage> => {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
        premultiplyAlpha: 'none',
        colorSpaceConversion: 'none',
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `the browser could not decode ${path.split('/').pop() ?? path} (${reason}); it is corrupt, truncated or in an unsupported format`,
      );
    }
    try {
      const { width, height } = bitmap;
      if (width === 0 || height === 0) throw new Error('the image has no pixels (0×0)');
      const context = contextFor(width, height);
      context.clearRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0);
      return packPixels(context.getImageData(0, 0, width, height).data, width, height);
    } finally {
      bitmap.close();
    }
  };
}
