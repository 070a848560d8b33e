/**
 * What the import worker and its decode workers say to each other: a batch of encoded images
 * packed into one transferred buffer, and per-image results whose pixel buffers are transferred back.
 */
import type { RawImage } from '../shared/types.ts';
import type { ImageDecoder } from './dataset.ts';
import { forEachBounded } from './decode-pool.ts';

/** Encoded images back to back in `bytes`; image i is `bytes[ends[i-1] ?? 0, ends[i])`. */
export interface DecodeBatch {
  readonly batchId: number;
  readonly bytes: ArrayBuffer;
  readonly ends: readonly number[];
  readonly paths: readonly string[];
}

/** An image, or why it could not be decoded (the decoder's Error message; `outOfMemory` for a RangeError). */
export type DecodeOutcome = RawImage | { readonly error: string; readonly outOfMemory: boolean };

/** The reply to a `DecodeBatch`: one outcome per image, in the batch's order. */
export interface DecodedBatch {
  readonly batchId: number;
  readonly outcomes: readonly DecodeOutcome[];
}

/**
 * Images decoded at once inside one decode worker: enough to hide the hop to the browser's decoder
 * threads, few enough that a batch of large photos does not hold dozens of full-size RGBA copies.
 */
const DECODES_IN_FLIGHT_PER_WORKER = 4;

/** Packs encoded images into one buffer (copied, so the caller's arrays stay usable) for transfer. */
export function packBatch(batchId: number, images: readonly { readonly bytes: Uint8Array; readonly path: string }[]): DecodeBatch {
  const total = images.reduce((sum, image) => sum + image.bytes.byteLength, 0);
  const packed = new Uint8Array(total);
  const ends: number[] = [];
  let at = 0;
  for (const { bytes } of images) {
    packed.set(bytes, at);
    at += bytes.byteLength;
    ends.push(at);
  }
  return { batchId, bytes: packed.buffer, ends, paths: images.map((image) => image.path) };
}

/** Decodes every image of a batch with `decode`; never rejects (failures become `{ error }` outcomes). */
export async function decodeBatch(batch: DecodeBatch, decode: ImageDecoder): Promise<DecodedBatch> {
  const all = new Uint8Array(batch.bytes);
  const outcomes: DecodeOutcome[] = new Array<DecodeOutcome>(batch.ends.length);
  await forEachBounded(
    batch.ends,
    DECODES_IN_FLIGHT_PER_WORKER,
    async (end, index) => {
      const bytes = all.subarray(batch.ends[index - 1] ?? 0, end);
      try {
        outcomes[index] = await decode(bytes, batch.paths[index] ?? '');
      } catch (error) {
        outcomes[index] = { error: error instanceof Error ? error.message : String(error), outOfMemory: error instanceof RangeError };
      }
    },
    () => Promise.resolve(),
  );
  return { batchId: batch.batchId, outcomes };
}

/** Pixel buffers of a reply that can be transferred (each image owns its whole buffer). */
export function transferablesOfBatch(reply: DecodedBatch): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const outcome of reply.outcomes) {
    if (
      'pixels' in outcome &&
      outcome.pixels.buffer instanceof ArrayBuffer &&
      outcome.pixels.byteLength === outcome.pixels.buffer.byteLength
    ) {
      buffers.add(outcome.pixels.buffer);
    }
  }
  return [...buffers];
}
