import type { ReactNode } from 'react';
import styles from './common.module.css';

/** A titled panel section; `id` names it for the heading's aria-labelledby. */
export function Card({ id, title, actions, children }: { id: string; title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className={styles.card} aria-labelledby={`${id}-title`}>
      <header className={styles.cardHeader}>
        <h2 id={`${id}-title`}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
