/**
 * One tab at a time holds the lab's storage, so two tabs never write the same runs: the tab that
 * holds the Web Lock `expression-lab/storage` opens the lab; another tab opens it read-only, says
 * which tab holds it (and what that tab trains, over a BroadcastChannel) and waits in the lock's
 * queue. When the holding tab closes, the browser releases its lock and the waiting tab takes over.
 */
import { runLabel } from '../state/run-labels.ts';
import { selectActiveRunId } from '../state/selectors.ts';
import type { LabStore } from '../state/store.ts';

export const LAB_LOCK = 'expression-lab/storage';
const CHANNEL = 'expression-lab/tabs';

type TabMessage = { readonly type: 'ask' } | { readonly type: 'status'; readonly training: string | null };

/** The run this tab trains, by its label, or null. */
function trainingLabel(store: LabStore): string | null {
  const s = store.getState();
  const id = selectActiveRunId(s);
  const run = id ? s.runs[id] : undefined;
  return run ? runLabel(run) : null;
}

/** As the holder: tells waiting tabs what this tab trains, when it changes and when asked. */
function announce(store: LabStore, channel: BroadcastChannel): void {
  let told: string | null | undefined;
  const tell = (always: boolean) => {
    const training = trainingLabel(store);
    if (!always && training === told) return;
    told = training;
    channel.postMessage({ type: 'status', training } satisfies TabMessage);
  };
  store.subscribe(() => tell(false));
  channel.onmessage = (e: MessageEvent<TabMessage>) => e.data.type === 'ask' && tell(true);
  tell(true);
}

/** As a waiting tab: shows what the holding tab trains. */
function listen(store: LabStore, channel: BroadcastChannel): void {
  channel.onmessage = (e: MessageEvent<TabMessage>) => {
    if (e.data.type === 'status' && store.getState().storage.heldElsewhere)
      store.getState().setHeldElsewhere({ training: e.data.training });
  };
  channel.postMessage({ type: 'ask' } satisfies TabMessage);
}

/**
 * Claims the lab for this tab. `open(readOnly)` opens it: at once for good when no other tab holds
 * it; otherwise read-only now, and for good once the other tab has closed. Without Web Locks (an
 * old browser), the lab opens as before.
 */
export function claimLab(store: LabStore, open: (readOnly: boolean) => void): void {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return open(false);
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  // The callback's promise never settles: the lock is held until the tab goes away.
  const take = (): Promise<never> => {
    store.getState().setHeldElsewhere(null);
    open(false);
    if (channel) announce(store, channel);
    return new Promise<never>(() => undefined);
  };
  void locks.request(LAB_LOCK, { ifAvailable: true }, (lock) => {
    if (lock) return take();
    store.getState().setHeldElsewhere({ training: null });
    if (channel) listen(store, channel);
    open(true);
    void locks.request(LAB_LOCK, take);
    return undefined;
  });
}
