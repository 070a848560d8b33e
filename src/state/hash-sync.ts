import { encodeConfigHash, readConfigHash } from './url-hash.ts';
import type { LabStore } from './store.ts';

/**
 * Mirrors the store's setup in the page's URL hash both ways: the hash at load (or a pasted link)
 * sets the config; the hash is then written at once (so the link is always shareable) and rewritten
 * on every config change, without adding history entries.
 * Returns the unsubscribe.
 */
export function syncConfigWithHash(store: LabStore, win: Window = window): () => void {
  const readHash = () => {
    if (win.location.hash.length <= 1) return;
    const { config, problems } = readConfigHash(win.location.hash);
    store.getState().replaceConfig(config);
    // A link that asked for something the lab cannot use says so: nothing is replaced silently.
    if (problems.length > 0)
      store.getState().pushMessage({
        title: `The link's settings: ${problems.length === 1 ? 'one was' : `${problems.length} were`} not used`,
        detail: problems.join('; '),
        hint: 'The settings panels and the address bar now show what the lab will use.',
      });
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
