import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG } from '../state/config-defaults.ts';
import { createLabStore } from '../state/store.ts';
import { holdForExport, installLeaveGuard } from './leave-guard.ts';

/** Fires a cancellable beforeunload at the guard and says whether it asked to stay. */
function leave(handlers: ((e: Event) => void)[]): boolean {
  const event = new Event('beforeunload', { cancelable: true });
  // A browser's BeforeUnloadEvent has a writable returnValue; Node's Event does not.
  Object.defineProperty(event, 'returnValue', { writable: true, value: true });
  for (const h of handlers) h(event);
  return event.defaultPrevented;
}

describe('leave guard', () => {
  it('asks before leaving while a run trains or an export is prepared, and not otherwise', () => {
    const store = createLabStore();
    const handlers: ((e: Event) => void)[] = [];
    installLeaveGuard(store, { addEventListener: (_type: string, h: (e: Event) => void) => handlers.push(h) } as never);
    expect(leave(handlers)).toBe(false);
    store.getState().runRequested('r', DEFAULT_TRAIN_CONFIG, 0);
    expect(leave(handlers)).toBe(true);
    store.getState().applyEvents([{ type: 'train/finished', runId: 'r', reason: 'completed', bestEpoch: 0, totalMs: 1 }], 1);
    expect(leave(handlers)).toBe(false);
    const release = holdForExport();
    expect(leave(handlers)).toBe(true);
    release();
    release();
    expect(leave(handlers)).toBe(false);
  });
});
