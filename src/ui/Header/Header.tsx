import { useLab } from '../../state/store.ts';
import styles from './Header.module.css';

/** The backend the worker runs on: name and adapter (end-to-end tests read `data-testid="backend"`). */
export function BackendBadge() {
  const backend = useLab((s) => s.backend);
  const text =
    backend.status === 'loaded' && backend.info
      ? `${backend.info.backend} — ${backend.info.adapter}`
      : backend.status === 'failed'
        ? `No backend: ${backend.error ?? 'unknown error'}`
        : 'Starting the compute backend…';
  return (
    <p
      className={`${styles.badge} ${backend.status === 'failed' ? styles.failed : ''}`}
      data-testid="backend"
      title={backend.info?.reason}
      aria-live="polite"
    >
      <span className={styles.dot} aria-hidden="true" data-status={backend.status} />
      {text}
    </p>
  );
}

/** Name, privacy line and backend badge. */
export function Header() {
  return (
    <header className={styles.header}>
      <div>
        <h1 className={styles.title}>Expression Lab</h1>
        <p className={styles.tagline}>Fine-tune an ImageNet ResNet50 on facial expressions, in this browser.</p>
      </div>
      <p className={styles.privacy}>
        <svg className={styles.lock} viewBox="0 0 16 16" aria-hidden="true">
          <path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z" fill="currentColor" />
        </svg>
        Everything runs in this browser; your images and weights never leave this machine.
      </p>
      <BackendBadge />
    </header>
  );
}
