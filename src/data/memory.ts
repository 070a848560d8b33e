/** Errors for data that does not fit in memory. */

/** The error raised when allocating memory for `what` failed; `cause` is the engine's error, kept for the log. */
export function outOfMemoryError(what: string, cause?: unknown): Error {
  return new Error(
    `Ran out of memory while reading "${what}". Close other tabs, or import a smaller dataset (fewer or smaller images, or split the archive).`,
    { cause },
  );
}
