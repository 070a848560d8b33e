import { Component, type ReactNode } from 'react';
import styles from './common.module.css';

/** Keeps a bug in one panel from blanking the page: that panel shows what broke, the rest stays usable. */
export class PanelBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className={styles.card} role="alert">
        <strong>The {this.props.name} panel stopped working</strong>
        <span className={styles.muted}>{this.state.error.message}</span>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try showing it again
        </button>
      </section>
    );
  }
}
