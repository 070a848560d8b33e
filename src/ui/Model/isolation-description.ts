import type { PageIsolation } from '../../state/types.ts';

/** The Model panel's line on WASM threads: what made the page cross-origin isolated, or why it is not. */
export function describeIsolation(isolation: PageIsolation | null): string {
  if (isolation === null) return 'Threads: checking how this page is served…';
  switch (isolation.by) {
    case 'server':
      return 'Threads on: the server’s COOP/COEP headers make this page cross-origin isolated.';
    case 'service-worker':
      return 'Threads on: the server sends no COOP/COEP headers; the lab’s service worker adds them.';
    case 'none':
      return `Single thread: this page is not cross-origin isolated (${isolation.reason}).`;
  }
}
