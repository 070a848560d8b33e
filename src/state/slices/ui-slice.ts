import type { SliceCreator, UiSlice } from '../types.ts';

let nextMessageId = 1;

/** What the page shows about itself: overlay selection, messages, the run-all queue, the focused run. */
export const createUiSlice: SliceCreator<UiSlice> = (set) => ({
  selectedRunIds: [],
  messages: [],
  queue: null,
  focusedRunId: null,
  refusal: null,
  dismissRefusal: () => set({ refusal: null }),
  toggleRunSelected: (runId) =>
    set((s) => ({
      selectedRunIds: s.selectedRunIds.includes(runId) ? s.selectedRunIds.filter((id) => id !== runId) : [...s.selectedRunIds, runId],
    })),
  focusRun: (focusedRunId) => set({ focusedRunId }),
  pushMessage: (message) => set((s) => ({ messages: withMessage(s.messages, message) })),
  dismissMessage: (id) => set((s) => ({ messages: s.messages.filter((m) => m.id !== id) })),
  setQueue: (queue) => set({ queue }),
});

/** Adds a message, or counts a repeat of the newest identical one instead of stacking it. */
export function withMessage(
  messages: UiSlice['messages'],
  message: Omit<UiSlice['messages'][number], 'id' | 'count'>,
): UiSlice['messages'] {
  const same = messages.find((m) => m.title === message.title && m.detail === message.detail);
  if (same) return messages.map((m) => (m === same ? { ...m, count: m.count + 1 } : m));
  return [...messages, { ...message, id: nextMessageId++, count: 1 }];
}
