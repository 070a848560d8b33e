/**
 * Coalesces a stream of items into at most one flush per animation frame. Items arriving between
 * frames wait in order; `flushNow` delivers them (plus one more) at once, for events whose order
 * relative to the high-frequency stream matters.
 */

/** Schedules a callback for the next frame (requestAnimationFrame in the page, a fake in tests). */
export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

/** The page's scheduler: the next animation frame. */
export const animationFrameScheduler: FrameScheduler = {
  request: (callback) => requestAnimationFrame(() => callback()),
  cancel: (handle) => cancelAnimationFrame(handle),
};

/** A batcher that calls `flush` with everything queued since the last flush. */
export interface FrameBatcher<T> {
  /** Queues an item for the next frame. */
  push(item: T): void;
  /** Delivers the queue (and `item`, if given) now, cancelling the pending frame. */
  flushNow(item?: T): void;
  dispose(): void;
}

/** Creates a batcher over `scheduler` that hands `flush` one array per frame. */
export function createFrameBatcher<T>(flush: (items: T[]) => void, scheduler: FrameScheduler): FrameBatcher<T> {
  let queue: T[] = [];
  let handle: number | null = null;
  const deliver = () => {
    handle = null;
    const items = queue;
    queue = [];
    if (items.length > 0) flush(items);
  };
  return {
    push(item) {
      queue.push(item);
      if (handle === null) handle = scheduler.request(deliver);
    },
    flushNow(item) {
      if (item !== undefined) queue.push(item);
      if (handle !== null) scheduler.cancel(handle);
      deliver();
    },
    dispose() {
      if (handle !== null) scheduler.cancel(handle);
      handle = null;
      queue = [];
    },
  };
}
