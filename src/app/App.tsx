import { useEffect, useState } from 'react';
import { LabClient } from '../client/lab-client.ts';
import type { BackendInfo } from '../shared/types.ts';

/** Temporary shell: starts the worker and shows the backend it chose. */
export function App() {
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const client = LabClient.start();
    const preferred = new URLSearchParams(location.search).get('backend');
    client
      .request({ type: 'backend/init', requestId: client.newId('backend'), preferred: (preferred as 'wasm' | null) ?? 'auto' })
      .then((reply) => setBackend(reply.info), (err: Error) => setError(err.message));
  }, []);
  return (
    <main>
      <h1>Expression Lab</h1>
      <p data-testid="backend">{backend ? `${backend.backend} — ${backend.adapter}` : error ?? 'Starting…'}</p>
    </main>
  );
}
