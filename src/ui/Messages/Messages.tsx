import { useLab } from '../../state/store.ts';
import styles from './Messages.module.css';

/** Errors from the worker (and the queue), pinned to the corner so they show wherever one has scrolled; dismissible. */
export function Messages() {
  const messages = useLab((s) => s.messages);
  const dismiss = useLab((s) => s.dismissMessage);
  if (messages.length === 0) return null;
  return (
    <div className={styles.stack} role="alert" aria-live="assertive">
      {messages.map((m) => (
        <div key={m.id} className={styles.message} data-testid="error-message">
          <div className={styles.body}>
            <strong>
              {m.title}
              {m.count > 1 && <span className={styles.count}> ×{m.count}</span>}
            </strong>
            <span className={styles.detail}>{m.detail}</span>
            <span>{m.hint}</span>
          </div>
          <button type="button" onClick={() => dismiss(m.id)} aria-label={`Dismiss: ${m.title}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
