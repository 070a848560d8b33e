import { useState } from 'react';
import type { ReplyOf } from '../../shared/protocol.ts';
import { isFinished } from '../../state/run-labels.ts';
import { selectFocusedRunId, selectRun } from '../../state/selectors.ts';
import { useLab } from '../../state/store.ts';
import { Card } from '../common/Card.tsx';
import { downloadBlob } from '../common/download.ts';
import { useLabHandle } from '../common/lab-context.ts';
import { RunPicker } from '../common/RunPicker.tsx';
import { EditsCount } from '../DatasetEdits/EditsCount.tsx';
import { GradCamView } from '../GradCam/GradCamView.tsx';
import { topLossesCsv } from './top-losses-csv.ts';
import { TopLossItem } from './TopLossItem.tsx';
import styles from './TopLosses.module.css';

type Split = 'validation' | 'test';
const LIMIT = 24;

type Listing =
  | { readonly status: 'loading' }
  | { readonly status: 'failed' }
  | { readonly status: 'done'; readonly reply: ReplyOf<'evaluate/topLosses'> };

/**
 * The images a finished run finds hardest (highest loss), with their label, the model's answer and its
 * probability; confident wrong answers are flagged as likely mislabelled. Click one for its heat map.
 */
export function TopLossesPanel() {
  const { commands } = useLabHandle();
  const runId = useLab(selectFocusedRunId);
  const run = useLab(selectRun(runId));
  const [split, setSplit] = useState<Split>('validation');
  const [listing, setListing] = useState<{ key: string; value: Listing } | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const key = `${runId}/${split}`;
  const current = listing?.key === key ? listing.value : null;
  const classes = run?.classes ?? [];
  const finished = run ? isFinished(run) : false;

  const find = () => {
    if (!runId) return;
    setSelected(null);
    setListing({ key, value: { status: 'loading' } });
    commands.listTopLosses(runId, split, LIMIT).then(
      (reply) => setListing({ key, value: { status: 'done', reply } }),
      () => setListing({ key, value: { status: 'failed' } }),
    );
  };
  const exportCsv = (reply: ReplyOf<'evaluate/topLosses'>) =>
    downloadBlob(new Blob([topLossesCsv(reply.items, classes)], { type: 'text/csv' }), `run-${run?.number ?? ''}-top-losses-${split}.csv`);

  const reply = current?.status === 'done' ? current.reply : null;
  const suspects = reply?.items.filter((item) => item.likelyMislabelled).length ?? 0;
  const picked = reply && selected !== null ? reply.items[selected] : undefined;
  return (
    <Card id="top-losses" title="Top losses (suspect labels)">
      <div className={styles.toolbar}>
        <RunPicker label="Run" />
        <label>
          Split{' '}
          <select value={split} onChange={(e) => setSplit(e.target.value as Split)} aria-label="Split to rank">
            <option value="validation">validation</option>
            <option value="test">test</option>
          </select>
        </label>
        <button type="button" onClick={find} disabled={!finished || current?.status === 'loading'} data-testid="top-losses-find">
          {current?.status === 'loading' ? 'Ranking…' : 'Find top losses'}
        </button>
        {reply && reply.items.length > 0 && (
          <button type="button" onClick={() => exportCsv(reply)} data-testid="top-losses-csv">
            Export CSV
          </button>
        )}
      </div>
      <EditsCount testId="top-losses-edits" />
      {!current && <p className={styles.hint}>Ranks every image of the split by its loss under the run&apos;s weights.</p>}
      {current?.status === 'failed' && <p className={styles.hint}>No ranking (see the message above).</p>}
      {reply && (
        <p className={styles.hint} data-testid="top-losses-summary">
          The {reply.items.length} highest of {reply.evaluated} {reply.split} images (mean loss {reply.meanLoss.toFixed(3)}) ·{' '}
          <strong>{suspects} likely mislabelled</strong>: wrong with probability ≥ 80 %. Click an image to see where the model looks;
          relabel or exclude it for the next run.
        </p>
      )}
      {reply && runId && (
        <ol className={styles.grid}>
          {reply.items.map((item, i) => (
            <TopLossItem
              key={item.index}
              item={item}
              split={reply.split}
              classes={classes}
              selected={selected === i}
              onSelect={() => setSelected(selected === i ? null : i)}
            />
          ))}
        </ol>
      )}
      {picked && runId && <GradCamView runId={runId} image={picked.image} classes={classes} />}
    </Card>
  );
}
