/** RawImage ↔ canvas pixels on the page. The worker never sees a DOM image, only RawImage. */
import type { RawImage } from '../../shared/types.ts';

/** RGBA pixels for a canvas; a 1-channel image expands to gray. */
export function rawImageToImageData(image: RawImage): ImageData {
  const out = new ImageData(image.width, image.height);
  const n = image.width * image.height;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (image.channels === 1) {
      const v = image.pixels[i] ?? 0;
      out.data[o] = v;
      out.data[o + 1] = v;
      out.data[o + 2] = v;
    } else {
      out.data[o] = image.pixels[i * 3] ?? 0;
      out.data[o + 1] = image.pixels[i * 3 + 1] ?? 0;
      out.data[o + 2] = image.pixels[i * 3 + 2] ?? 0;
    }
    out.data[o + 3] = 255;
  }
  return out;
}

/** Longest side sent to the worker; it resizes to the input size anyway. */
const MAX_SIDE = 512;

/** Decodes an image file, or grabs a video frame, as an RGB RawImage (downscaled to ≤ 512 px). */
export async function toRawImage(source: Blob | HTMLVideoElement): Promise<RawImage> {
  const bitmap = await createImageBitmap(source);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw to a 2D canvas.');
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    pixels[j] = rgba[i] ?? 0;
    pixels[j + 1] = rgba[i + 1] ?? 0;
    pixels[j + 2] = rgba[i + 2] ?? 0;
  }
  return { width, height, channels: 3, pixels };
}
