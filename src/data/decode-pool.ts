/** Bounded concurrency for image decoding: enough in flight to keep the browser's decoder threads busy. */

/**
 * Decodes in flight during an import. Decoding happens off the importing thread (decode workers, or
 * the browser's decoder threads), so this is what keeps them fed: with a decoder pool it is cut into
 * about two batches per decode worker (see decoder-pool.ts), enough that a worker always has its next
 * batch queued. Every in-flight image's encoded bytes are held until it is decoded.
 */
export const DECODE_CONCURRENCY = 128;

/**
 * Runs `task` for every item with at most `limit` in flight, calling `between` (progress,
 * cancellation, yielding) before starting each. Rejections of `task` are fatal: the first one
 * is rethrown once the tasks in flight have settled; per-item failures should be handled inside `task`.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
  between: (started: number) => Promise<void>,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  try {
    for (let index = 0; index < items.length && failure === null; index++) {
      await between(index);
      const running: Promise<void> = task(items[index] as T, index)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
      if (inFlight.size >= limit) await Promise.race(inFlight);
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure !== null) throw (failure as { error: unknown }).error;
}
