import { describeEdits } from '../../shared/dataset-edits.ts';
import { useLab } from '../../state/store.ts';
import { useLabHandle } from '../common/lab-context.ts';
import styles from './DatasetEdits.module.css';

const ignore = () => undefined;

/** "12 edits (3 excluded, 9 relabelled) · used by the next run", with Undo all; nothing when there are none. */
export function EditsCount(props: { readonly testId: string }) {
  const { commands } = useLabHandle();
  const edits = useLab((s) => s.dataset.edits);
  if (edits.length === 0) return null;
  return (
    <span className={styles.summary} data-testid={props.testId} data-edits={edits.length}>
      <strong>{describeEdits(edits)}</strong>
      <span>· used by the next run</span>
      <button
        type="button"
        className={styles.link}
        onClick={() => commands.undoEdit(null).catch(ignore)}
        data-testid={`${props.testId}-undo-all`}
      >
        Undo all
      </button>
    </span>
  );
}
