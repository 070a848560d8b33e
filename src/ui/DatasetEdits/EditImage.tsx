import { findEdit } from '../../shared/dataset-edits.ts';
import type { SplitName } from '../../shared/types.ts';
import { useLab } from '../../state/store.ts';
import { useLabHandle } from '../common/lab-context.ts';
import styles from './DatasetEdits.module.css';

const ignore = () => undefined;

/**
 * Relabel or exclude one image of the loaded dataset (a suspect from top losses or a confusion
 * cell), or undo its edit. The next run trains and evaluates with the change.
 */
export function EditImage(props: { readonly split: SplitName; readonly path: string; readonly classes: readonly string[] }) {
  const { split, path, classes } = props;
  const { commands } = useLabHandle();
  const edit = useLab((s) => findEdit(s.dataset.edits, split, path));
  const loaded = useLab((s) => s.dataset.summary !== null);
  if (!loaded) return null;
  if (edit)
    return (
      <span className={styles.controls} data-testid="image-edited">
        <span className={styles.edited}>{edit.to === null ? 'excluded' : `relabelled ${classes[edit.to] ?? edit.to}`}</span>
        <button type="button" onClick={() => commands.undoEdit({ split, path }).catch(ignore)} data-testid="image-undo">
          Undo
        </button>
      </span>
    );
  return (
    <span className={styles.controls}>
      <select
        value=""
        aria-label={`Relabel ${path}`}
        data-testid="image-relabel"
        onChange={(e) => {
          if (e.target.value !== '') commands.editImage(split, path, Number(e.target.value)).catch(ignore);
        }}
      >
        <option value="">relabel as…</option>
        {classes.map((name, i) => (
          <option key={name} value={i}>
            {name}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => commands.editImage(split, path, null).catch(ignore)} data-testid="image-exclude">
        Exclude
      </button>
    </span>
  );
}
