import { reduceEvents } from '../event-reducer.ts';
import type { EventsSlice, SliceCreator } from '../types.ts';

/** The one entry point for worker events: a frame's batch of them becomes a single `set`. */
export const createEventsSlice: SliceCreator<EventsSlice> = (set) => ({
  applyEvents: (events, now) => {
    if (events.length > 0) set((s) => reduceEvents(s, events, now));
  },
});
