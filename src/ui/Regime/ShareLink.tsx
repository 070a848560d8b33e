import { useState } from 'react';

/** Copies the page's address, whose hash holds the whole setup, so a link reproduces it. */
export function ShareLink() {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    navigator.clipboard.writeText(location.href).then(
      () => setState('copied'),
      () => setState('failed'),
    );
    setTimeout(() => setState('idle'), 2500);
  };
  return (
    <button type="button" onClick={copy} title="The address holds every setting on this panel and the input size" aria-live="polite">
      {state === 'copied' ? 'Link copied' : state === 'failed' ? 'Copy the address bar instead' : 'Copy link to these settings'}
    </button>
  );
}
