/**
 * Wires the LabClient's events into the store. High-frequency events (batch metrics, load
 * progress) are coalesced to at most one `set` per animation frame; any other event flushes what
 * is queued together with itself, so order is kept and replies show at once.
 */
import type { WorkerEvent } from '../shared/protocol.ts';
import { createLabCommands, type LabCommands, type LabPort } from './commands.ts';
import { animationFrameScheduler, createFrameBatcher, type FrameScheduler } from './frame-batcher.ts';
import type { LabStore } from '../state/store.ts';

/** Events that may arrive many times a frame; everything else is delivered immediately. */
export const HIGH_FREQUENCY_EVENTS: ReadonlySet<WorkerEvent['type']> = new Set([
  'train/batchEnded',
  'train/featuresProgressed',
  'dataset/progressed',
  'weights/progressed',
]);

/** What `connectStore` hands back. */
export interface StoreConnection {
  readonly commands: LabCommands;
  disconnect(): void;
}

/** Subscribes `store` to `client`'s events; returns the bound commands and the disconnect. */
export function connectStore(
  client: LabPort & { subscribe(listener: (event: WorkerEvent) => void): () => void },
  store: LabStore,
  scheduler: FrameScheduler = animationFrameScheduler,
  now: () => number = Date.now,
): StoreConnection {
  const commands = createLabCommands(client, store, now);
  const batcher = createFrameBatcher<WorkerEvent>((events) => {
    store.getState().applyEvents(events, now());
    for (const e of events) {
      if (e.type === 'train/finished' || (e.type === 'error' && e.runId)) commands.runEnded(e.runId as string);
    }
  }, scheduler);
  const unsubscribe = client.subscribe((event) => {
    if (HIGH_FREQUENCY_EVENTS.has(event.type)) batcher.push(event);
    else batcher.flushNow(event);
  });
  return {
    commands,
    disconnect() {
      unsubscribe();
      batcher.dispose();
    },
  };
}
