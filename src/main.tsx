import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { prepareServiceWorker } from './app/service-worker.ts';
import { labStore } from './state/store.ts';

const render = () =>
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );

// An isolated page (WASM threads) starts at once; any other waits: the service worker may reload it isolated.
if (window.crossOriginIsolated) render();
void prepareServiceWorker().then((isolation) => {
  if (isolation === 'reloading') return;
  labStore.getState().isolationFound(isolation);
  if (!window.crossOriginIsolated) render();
});
