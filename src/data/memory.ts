/** Errors for data that does not fit in memory. */

/** Formats a byte count for messages, e.g. "1.5 GB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** The error raised when allocating memory for `what` failed; `cause` is the engine's error, kept for the log. */
export function outOfMemoryError(what: string, cause?: unknown): Error {
  return new Error(
    `Ran out of memory while reading "${what}". Close other tabs, or import a smaller dataset (fewer or smaller images, or split the archive).`,
    { cause },
  );
}
