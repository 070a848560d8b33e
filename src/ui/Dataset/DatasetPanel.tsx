import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { fromFileList, takeDrop, toDatasetSource } from '../common/collect-files.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { ProgressBar } from '../common/ProgressBar.tsx';
import { EditsList } from '../DatasetEdits/EditsList.tsx';
import { DatasetSummaryView } from './DatasetSummary.tsx';
import { DropZone } from './DropZone.tsx';
import { SplitGroupingField } from './SplitGroupingField.tsx';
import styles from './Dataset.module.css';

const PHASES = { unzipping: 'Unzipping', decoding: 'Decoding images', splitting: 'Splitting' } as const;

/** Load an image-classification dataset (zip, FER2013-style CSV, folder, loose images, or the demo) and see what was found. */
export function DatasetPanel() {
  const { commands } = useLabHandle();
  const status = useLab((s) => s.dataset.status);
  const progress = useLab((s) => s.dataset.progress);
  const sourceName = useLab((s) => s.dataset.sourceName);
  const error = useLab((s) => s.dataset.error);
  const cancelling = useLab((s) => s.dataset.cancelRequested);
  const pushMessage = useLab((s) => s.pushMessage);
  const loading = status === 'loading';

  const load = (pick: () => Promise<Parameters<typeof toDatasetSource>[0]>) => {
    pick()
      .then(toDatasetSource)
      .then(commands.loadDataset)
      .catch((err: Error) =>
        pushMessage({
          title: 'Those files could not be read',
          detail: err.message,
          hint: 'Drop a .zip, a .csv, a folder of class folders, or images.',
        }),
      );
  };

  return (
    <Card id="dataset" title="1 · Dataset">
      <DropZone
        testId="dropzone"
        label="Drop a dataset here: a .zip of class folders (FER2013, CK+, your own), a FER2013-style .csv, a folder, or images"
        accept=".zip,.csv,image/*"
        multiple
        folder
        disabled={loading}
        onDrop={(transfer) => load(takeDrop(transfer))}
        onPick={(files) => load(async () => fromFileList(files))}
      >
        <button type="button" onClick={() => commands.loadDataset({ kind: 'demo' })} disabled={loading}>
          Use demo dataset
        </button>
      </DropZone>
      <SplitGroupingField disabled={loading} />
      {loading && (
        <div className={styles.loading}>
          <ProgressBar
            label={progress ? `${PHASES[progress.phase]} ${sourceName ?? ''}` : `Reading ${sourceName ?? 'the dataset'}…`}
            value={progress && progress.total > 0 ? progress.done / progress.total : null}
            detail={progress ? `${progress.done.toLocaleString()} / ${progress.total.toLocaleString()}` : undefined}
          />
          <button type="button" onClick={commands.cancelDataset} disabled={cancelling}>
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      {status === 'failed' && (
        <p className={styles.error} role="status">
          Could not load {sourceName ?? 'the dataset'}: {error}
        </p>
      )}
      <DatasetSummaryView />
      <EditsList />
    </Card>
  );
}
