import { heldByAnotherTab } from '../../shared/fault-messages.ts';
import { useLab } from '../../state/store.ts';
import styles from './OtherTab.module.css';

/** While another tab holds the lab: says so, and what that tab is training. */
export function OtherTabBanner() {
  const heldElsewhere = useLab((s) => s.storage.heldElsewhere);
  if (!heldElsewhere) return null;
  return (
    <p className={styles.banner} role="status" data-testid="other-tab">
      {heldByAnotherTab(heldElsewhere.training)}
    </p>
  );
}
