/// <reference lib="webworker" />
/**
 * Expression Lab's service worker: what lets `dist/` run well on any static host (GitHub Pages, a
 * university's ~user/ space, `python3 -m http.server`). Registered by src/app/service-worker.ts.
 *
 * 1. Threads without server headers: every response of the app's own origin that lacks them gets
 *    COOP/COEP, so the page is cross-origin isolated and the WASM backend has SharedArrayBuffer and
 *    threads. Responses that already carry them (nginx, Netlify… configured as the README's "Deploy"
 *    says) pass unchanged; those it changed are marked `X-Expression-Lab-Isolation: service-worker`,
 *    so the Model panel can say which of the two made the page isolated.
 * 2. Offline after the first visit: Workbox precaches the build (app shell, workers, the WASM
 *    binaries; the demo dataset is drawn by that code). Pages come from the network while it answers,
 *    so a new build is seen on the next visit, and from the precache when it does not.
 * 3. No stale lock-in: a new build's service worker activates at once and drops the old build's files.
 *
 * It leaves alone requests to other origins (the pretrained weights' download, which the training
 * worker keeps in Cache Storage itself) and anything but GET.
 */
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute, PrecacheFallbackPlugin } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import { withIsolationHeaders } from './isolation-headers.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

/** How long a page request waits for the network before the precached copy is used (a flaky class network). */
const PAGE_NETWORK_TIMEOUT_S = 5;

const isolation = { handlerWillRespond: async ({ response }: { response: Response }) => withIsolationHeaders(response) };
const sameOrigin = (url: URL) => url.origin === self.location.origin;

// A new build takes over as soon as it has precached its files (its pages already come from the network).
self.addEventListener('install', () => void self.skipWaiting());

/**
 * A page is revalidated with the server, never taken fresh from the HTTP cache (servers without
 * Cache-Control leave it to heuristics; GitHub Pages says 10 minutes): the next visit sees a new
 * build. Redirects stay the browser's to follow (`/lab` → `/lab/`), so relative URLs resolve right.
 */
const revalidatePage = {
  requestWillFetch: async ({ request }: { request: Request }) =>
    new Request(request.url, { headers: request.headers, credentials: request.credentials, cache: 'no-cache', redirect: 'manual' }),
};

// Pages first (the router takes the first matching route): network, else the precached page.
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && sameOrigin(url),
  new NetworkOnly({
    networkTimeoutSeconds: PAGE_NETWORK_TIMEOUT_S,
    plugins: [revalidatePage, new PrecacheFallbackPlugin({ fallbackURL: 'index.html' }), isolation],
  }),
);
addPlugins([isolation]);
// Query strings are settings (`?backend=wasm`); the build's files are the same whatever they say.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
cleanupOutdatedCaches();
// A local copy of the pretrained model (`npm run weights`, ~100 MB) is kept once fetched, not precached.
registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.includes('/models/'),
  new CacheFirst({ cacheName: 'expression-lab-local-model', plugins: [isolation] }),
);
// Anything else of the app's (files of a newer build than this worker's): the network, with the headers.
registerRoute(({ url }) => sameOrigin(url), new NetworkOnly({ plugins: [isolation] }));
