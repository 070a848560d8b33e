import { decodeConfigHash, encodeConfigHash } from './url-hash.ts';
import type { LabStore } from './store.ts';

/**
 * Mirrors the store's setup in the page's URL hash both ways: the hash at load (or a pasted link)
 * sets the config; the hash is then written at once (so the link is always shareable) and rewritten
 * on every config change, without adding history entries.
 * Returns the unsubscribe.
 */
export function syncConfigWithHash(store: LabStore, win: Window = window): () => void {
  const readHash = () => {
    if (win.location.hash.length > 1) store.getState().replaceConfig(decodeConfigHash(win.location.hash));
  };
  const writeHash = () => {
    const hash = `#${encodeConfigHash(store.getState().config)}`;
    if (win.location.hash !== hash) win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}${hash}`);
  };
  readHash();
  writeHash();
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.config !== previous.config) writeHash();
  });
  win.addEventListener('hashchange', readHash);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', readHash);
  };
}
