/**
 * The page's side of the lab's service worker (src/service-worker/sw.ts): registers it (the app then
 * opens offline after a first visit) and, where the server sends no COOP/COEP headers, reloads the
 * page once so that the service worker serves it with them, which turns WASM threads on.
 */
import type { PageIsolation } from '../state/types.ts';

/** Set just before the one reload, so that a page still not isolated after it does not reload again. */
const RELOADED_KEY = 'expression-lab:isolation-reload';
/** Must match the service worker's marker (src/service-worker/isolation-headers.ts). */
const ISOLATION_MARKER = 'X-Expression-Lab-Isolation';

const HEADERS_HINT = 'the Deploy section of the README lists the two headers to set on the server';

function none(reason: string): PageIsolation {
  return { by: 'none', reason: `${reason}; ${HEADERS_HINT}` };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** How long a first visit waits for the service worker to store the app before starting without threads. */
const INSTALL_WAIT_MS = 30_000;

/** Resolves once `registration` has an activated worker (a first install precaches the app first). */
async function activated(registration: ServiceWorkerRegistration): Promise<void> {
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (!worker || worker.state === 'activated') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the lab’s service worker is still storing the app for offline use; reload the page in a minute for threads')),
      INSTALL_WAIT_MS,
    );
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      if (worker.state === 'redundant') reject(new Error('the lab’s service worker failed to install'));
      if (worker.state === 'activated' || worker.state === 'redundant') clearTimeout(timer);
    });
  });
}

/** Whether this page's own response was given its isolation headers by the service worker (the server sent none). */
async function isolatedByServiceWorker(): Promise<boolean> {
  if (!navigator.serviceWorker?.controller) return false;
  const response = await fetch(location.href.split('#')[0] ?? location.href, { cache: 'no-store' }).catch(() => null);
  return response?.headers.get(ISOLATION_MARKER) === 'service-worker';
}

/**
 * Registers the service worker and says how the page is cross-origin isolated, or why not; resolves
 * to 'reloading' when it has just reloaded the page (start nothing then). Under the dev server
 * (`npm run dev`, which sends the headers itself) nothing is registered.
 */
export async function prepareServiceWorker(): Promise<PageIsolation | 'reloading'> {
  const isolated = window.crossOriginIsolated;
  const container = navigator.serviceWorker as ServiceWorkerContainer | undefined;
  if (!import.meta.env.PROD || !container) {
    if (isolated) return { by: 'server' };
    return none(
      container
        ? 'the page is not cross-origin isolated'
        : 'this browser offers no service worker here (a private window, or a page not served over HTTPS or from localhost), so the lab cannot add the headers the server does not send',
    );
  }
  let registration: ServiceWorkerRegistration;
  try {
    registration = await container.register(`${import.meta.env.BASE_URL}sw.js`);
  } catch (err) {
    return isolated ? { by: 'server' } : none(`the lab's service worker could not be registered (${errorText(err)})`);
  }
  // A browser (or an extension) that stubs register() out gives no registration at all.
  if (!(registration instanceof ServiceWorkerRegistration))
    return isolated ? { by: 'server' } : none('this browser refused the lab’s service worker');
  if (isolated) {
    sessionStorage.removeItem(RELOADED_KEY);
    return (await isolatedByServiceWorker()) ? { by: 'service-worker' } : { by: 'server' };
  }
  if (sessionStorage.getItem(RELOADED_KEY) !== null) {
    sessionStorage.removeItem(RELOADED_KEY);
    return none('the page was reloaded through the lab’s service worker and is still not cross-origin isolated');
  }
  try {
    await activated(registration);
  } catch (err) {
    return none(errorText(err));
  }
  sessionStorage.setItem(RELOADED_KEY, String(Date.now()));
  location.reload();
  return 'reloading';
}
