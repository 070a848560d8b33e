/** Reads, checks and decodes one image file of a tree; every failure becomes a skip reason. */
import type { LabelledImage } from './assemble.ts';
import type { ImageDecoder } from './dataset.ts';
import { isAnimated, tooLargeReason, unreadableContentReason } from './image-header.ts';
import { findTruncation, sniffImageFormat } from './image-sniff.ts';
import { outOfMemoryError } from './memory.ts';

/** A file in the tree, read lazily so inflated bytes live only while the file is processed. */
export interface TreeFile {
  readonly path: string;
  readonly isDirectory: boolean;
  /** Returns the file's bytes; throws an Error whose message is a skip reason. */
  read(): Uint8Array;
}

/** A decoded image and whether it was animated (only its first frame is used), or why it was skipped. */
export type Decoded = { readonly image: LabelledImage['image']; readonly animated: boolean } | string;

/**
 * Checks a file before decoding it (content sniffed, truncation, size from the header) and decodes it.
 * Throws only when memory ran out; every other failure is returned as the reason it was skipped.
 */
export async function decodeOne(file: TreeFile, decode: ImageDecoder): Promise<Decoded> {
  let bytes: Uint8Array;
  try {
    bytes = file.read();
  } catch (error) {
    if (error instanceof RangeError) throw outOfMemoryError(file.path);
    return error instanceof Error ? error.message : String(error);
  }
  const format = sniffImageFormat(bytes);
  if (format === null) return unreadableContentReason(bytes);
  const truncation = findTruncation(bytes, format);
  if (truncation !== null) return truncation;
  const tooLarge = tooLargeReason(bytes);
  if (tooLarge !== null) return tooLarge;
  try {
    const image = await decode(bytes, file.path);
    const { width, height, channels, pixels } = image;
    if (width < 1 || height < 1 || pixels.length !== width * height * channels) return 'decoder returned an inconsistent image';
    return { image, animated: isAnimated(bytes, format) };
  } catch (error) {
    if (error instanceof RangeError) throw outOfMemoryError(file.path);
    return `could not decode: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The one warning for the animated images of a dataset (empty when there are none). */
export function animatedWarning(name: string, paths: string[]): string[] {
  if (paths.length === 0) return [];
  const first = [...paths].sort()[0];
  const are = paths.length === 1 ? '1 image is' : `${paths.length} images are`;
  return [`${are} animated in "${name}" (e.g. "${first}"): the first frame of each was used.`];
}
