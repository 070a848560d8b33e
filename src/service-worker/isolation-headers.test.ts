import { describe, expect, test } from 'vitest';
import { ISOLATION_MARKER, withIsolationHeaders } from './isolation-headers.ts';

describe('withIsolationHeaders', () => {
  test('a response without COOP/COEP gets both, the marker, and keeps its status, headers and body', async () => {
    const original = new Response('<html>lab</html>', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'text/html' } });
    const isolated = withIsolationHeaders(original);
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
    expect(isolated.headers.get(ISOLATION_MARKER)).toBe('service-worker');
    expect(isolated.headers.get('Content-Type')).toBe('text/html');
    expect(isolated.status).toBe(200);
    expect(await isolated.text()).toBe('<html>lab</html>');
  });

  test('a response that has them (the server sends them) passes unchanged and unmarked', () => {
    const original = new Response('x', {
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'credentialless' },
    });
    const passed = withIsolationHeaders(original);
    expect(passed).toBe(original);
    expect(passed.headers.get(ISOLATION_MARKER)).toBeNull();
  });

  test('only the missing header is added when the server sends one of the two', () => {
    const original = new Response('x', { headers: { 'Cross-Origin-Embedder-Policy': 'credentialless' } });
    const isolated = withIsolationHeaders(original);
    expect(isolated.headers.get('Cross-Origin-Embedder-Policy')).toBe('credentialless');
    expect(isolated.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  });

  test('a 404 keeps its status; an opaque response (status 0) is returned as it is', () => {
    expect(withIsolationHeaders(new Response('missing', { status: 404 })).status).toBe(404);
    const opaque = Response.error();
    expect(withIsolationHeaders(opaque)).toBe(opaque);
  });
});
