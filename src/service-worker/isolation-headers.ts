/** Cross-origin isolation (SharedArrayBuffer, so WASM threads) takes these two headers on the page and its workers. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Set on a response the service worker added the headers to: the page then knows the server sent none. */
export const ISOLATION_MARKER = 'X-Expression-Lab-Isolation';

/**
 * `response` with COOP/COEP added where it lacks them (marked with ISOLATION_MARKER), or unchanged:
 * when it has them, and when it cannot be rebuilt (opaque responses, status 0).
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect') return response;
  const missing = Object.keys(ISOLATION_HEADERS).filter((name) => !response.headers.has(name));
  if (missing.length === 0) return response;
  const headers = new Headers(response.headers);
  for (const name of missing) headers.set(name, ISOLATION_HEADERS[name] ?? '');
  headers.set(ISOLATION_MARKER, 'service-worker');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
