import { useState, type DragEvent, type ReactNode } from 'react';
import styles from './Dataset.module.css';

/**
 * A keyboard-reachable drop target with a file picker. `onDrop` gets the raw DataTransfer and must
 * read it synchronously; `onPick` gets the input's FileList.
 */
export function DropZone(props: {
  testId: string;
  label: string;
  accept: string;
  multiple?: boolean;
  folder?: boolean;
  disabled?: boolean;
  onDrop(transfer: DataTransfer): void;
  onPick(files: FileList): void;
  children?: ReactNode;
}) {
  const [over, setOver] = useState(false);
  const drag = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  return (
    <div
      className={`${styles.dropzone} ${over ? styles.over : ''}`}
      data-testid={props.testId}
      onDragOver={drag}
      onDragEnter={drag}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        if (!props.disabled) props.onDrop(e.dataTransfer);
      }}
    >
      <p className={styles.dropText}>{props.label}</p>
      <div className={styles.pickers}>
        <label className={styles.pickButton}>
          Choose files…
          <input
            className="visually-hidden"
            type="file"
            accept={props.accept}
            multiple={props.multiple}
            disabled={props.disabled}
            onChange={(e) => e.target.files && props.onPick(e.target.files)}
          />
        </label>
        {props.folder && (
          <label className={styles.pickButton}>
            Choose a folder…
            <input
              className="visually-hidden"
              type="file"
              ref={(el) => el?.setAttribute('webkitdirectory', '')}
              disabled={props.disabled}
              onChange={(e) => e.target.files && props.onPick(e.target.files)}
            />
          </label>
        )}
        {props.children}
      </div>
    </div>
  );
}
