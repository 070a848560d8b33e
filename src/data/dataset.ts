import type { DatasetSummary, RawImage, SplitName } from '../shared/types.ts';

/** One image held in the worker: native-resolution pixels (1 channel if grayscale, else 3) and its label. */
export interface StoredImage extends RawImage {
  readonly classIndex: number;
  /** Path inside the archive, or `csv:row N`; shown when the image is misclassified or skipped. */
  readonly path: string;
}

/** An imported dataset, owned by the worker session. Validation is always present (carved from train if needed). */
export interface Dataset {
  readonly name: string;
  readonly classes: readonly string[];
  readonly splits: Readonly<Record<SplitName, readonly StoredImage[]>>;
  readonly summary: DatasetSummary;
}

/** Decodes one encoded image (JPEG, PNG, WebP, BMP, GIF first frame). Throws with a reason on corrupt data. */
export type ImageDecoder = (bytes: Uint8Array, path: string) => Promise<RawImage>;
