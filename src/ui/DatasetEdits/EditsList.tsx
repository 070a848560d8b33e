import { describeEdit } from '../../shared/dataset-edits.ts';
import { useLab } from '../../state/store.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { EditsCount } from './EditsCount.tsx';
import styles from './DatasetEdits.module.css';

const ignore = () => undefined;
/** One empty list, so the selector's answer is stable while no dataset is loaded. */
const NO_CLASSES: readonly string[] = [];

/**
 * The dataset's edits for the Dataset panel: the count, and each edit (image, old → new label, or
 * excluded) with its own Undo. Newest first.
 */
export function EditsList() {
  const { commands } = useLabHandle();
  const edits = useLab((s) => s.dataset.edits);
  const classes = useLab((s) => s.dataset.summary?.classes ?? NO_CLASSES);
  if (edits.length === 0) return null;
  return (
    <details className={styles.summary}>
      <summary>
        <EditsCount testId="dataset-edits" />
      </summary>
      <ul className={styles.list}>
        {[...edits].reverse().map((edit) => (
          <li key={`${edit.split}/${edit.path}`} data-testid="dataset-edit">
            {describeEdit(edit, classes)}{' '}
            <button
              type="button"
              className={styles.link}
              onClick={() => commands.undoEdit({ split: edit.split, path: edit.path }).catch(ignore)}
            >
              Undo
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
