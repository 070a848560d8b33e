/**
 * Worker events → state, as a pure function so that a whole frame's worth of events becomes one
 * `set`. Batch metrics are appended per run in one copy, not one array copy per event.
 */
import { isGpuDeviceLoss } from '../shared/fault-messages.ts';
import type { EventOf, WorkerEvent } from '../shared/protocol.ts';
import type { BatchMetrics, MemoryRefusal } from '../shared/types.ts';
import { errorMessage } from './error-hints.ts';
import { runLabel } from './run-labels.ts';
import { newRun } from './slices/runs-slice.ts';
import { withMessage } from './slices/ui-slice.ts';
import { appendBatches } from './batch-points.ts';
import { mergeSavedRuns } from './saved-runs.ts';
import type { LabState, Run } from './types.ts';

type Draft = Pick<
  LabState,
  'backend' | 'dataset' | 'weights' | 'runs' | 'runOrder' | 'messages' | 'selectedRunIds' | 'queue' | 'storage' | 'refusal'
>;

function updateRun(d: Draft, runId: string, change: (run: Run) => Run): Draft {
  const run = d.runs[runId];
  return run ? { ...d, runs: { ...d.runs, [runId]: change(run) } } : d;
}

/**
 * A Start refused for memory never began: the run leaves the list (the worker kept nothing of it) and
 * the refusal, with the batch that fits, is shown where Start was pressed.
 */
function refused(d: Draft, run: Run, message: string, refusal: MemoryRefusal): Draft {
  const { [run.id]: _gone, ...runs } = d.runs;
  return {
    ...d,
    runs,
    runOrder: d.runOrder.filter((id) => id !== run.id),
    selectedRunIds: d.selectedRunIds.filter((id) => id !== run.id),
    refusal: { message, refusal, config: run.config },
    // A queue whose run was refused waits (Resume queue tries it again), rather than seeming to train.
    queue: d.queue?.current?.runId === run.id ? { ...d.queue, waiting: true } : d.queue,
  };
}

function applyError(d: Draft, e: EventOf<'error'>): Draft {
  if (e.command === 'dataset/load' && e.requestId === d.dataset.requestId && d.dataset.cancelRequested) {
    // A cancelled import leaves the previous dataset in place: show it again, with no error.
    const { summary } = d.dataset;
    return {
      ...d,
      dataset: {
        ...d.dataset,
        status: summary ? 'loaded' : 'idle',
        sourceName: summary?.name ?? null,
        progress: null,
        cancelRequested: false,
      },
    };
  }
  if (e.command === 'weights/load' && e.requestId === d.weights.quietRequestId) {
    // Nothing cached or local at start-up is normal: the Model panel offers the choices.
    const current = e.requestId === d.weights.requestId;
    return { ...d, weights: { ...d.weights, ...(current ? { status: 'idle' as const, progress: null } : {}), quietRequestId: null } };
  }
  const run = e.runId ? d.runs[e.runId] : undefined;
  if (run && e.command === 'train/start' && e.memory) return refused(d, run, e.message, e.memory);
  const about = run && { label: runLabel(run), begun: run.status !== 'starting' };
  let next: Draft = { ...d, messages: withMessage(d.messages, errorMessage(e.command, e.message, about)) };
  // Only a training failure fails the run; a failed export, prediction or stop leaves it as it is.
  if (run && e.command === 'train/start') next = updateRun(next, run.id, (r) => ({ ...r, status: 'failed', error: e.message }));
  // A refused Resume leaves the run interrupted (one that failed mid-way was ended by train/finished).
  if (run && (e.command === 'train/resume' || e.command === 'train/restart') && run.status === 'starting')
    next = updateRun(next, run.id, (r) => ({ ...r, status: 'interrupted', error: e.message }));
  if (e.command === 'backend/init') next = { ...next, backend: { ...next.backend, status: 'failed', error: e.message } };
  if (e.command === 'dataset/load' && e.requestId === d.dataset.requestId)
    next = { ...next, dataset: { ...next.dataset, status: 'failed', progress: null, error: e.message } };
  // The worker keeps the weights it had when new ones are refused: so does the page.
  if (e.command === 'weights/load' && e.requestId === d.weights.requestId)
    next = { ...next, weights: { ...next.weights, status: next.weights.info ? 'loaded' : 'failed', progress: null, error: e.message } };
  if (e.command === 'worker') {
    // With storage open the finished epochs are saved: the run is interrupted and can resume.
    const ended = next.storage.open ? ('interrupted' as const) : ('failed' as const);
    const runs = Object.fromEntries(
      Object.entries(next.runs).map(([id, r]) => [
        id,
        r.status === 'running' || r.status === 'starting' || r.status === 'stopping' ? { ...r, status: ended, error: e.message } : r,
      ]),
    );
    // The worker is gone: nothing it was doing will finish, so nothing may stay "loading".
    const stop = <T extends { status: string; error: string | null }>(x: T): T =>
      x.status === 'loading' ? { ...x, status: 'failed', error: e.message } : x;
    // The queue waits, as after a reload: the person resumes it (interrupted run first) or stops it.
    const queue = next.queue && { ...next.queue, waiting: true };
    const backend = isGpuDeviceLoss(e.message) ? { ...stop(next.backend), deviceLost: e.message } : stop(next.backend);
    next = { ...next, runs, queue, backend, dataset: stop(next.dataset), weights: stop(next.weights) };
  }
  return next;
}

/** A run trained elsewhere arrives finished: all its epochs and batches at once, selected for the charts. */
function applyImported(d: Draft, e: EventOf<'run/imported'>, now: number): Draft {
  if (d.runs[e.runId]) return d;
  const base = newRun(e.runId, d.runOrder.length + 1, e.config, now - e.totalMs);
  const run: Run = appendBatches(
    {
      ...base,
      status: e.reason,
      classes: e.classes,
      batchesPerEpoch: e.batches[0]?.batchesPerEpoch ?? 0,
      epochs: e.epochs,
      totalMs: e.totalMs,
      bestEpoch: e.bestEpoch,
      origin: e.origin,
    },
    e.batches,
  );
  return { ...d, runs: { ...d.runs, [e.runId]: run }, runOrder: [...d.runOrder, e.runId], selectedRunIds: [...d.selectedRunIds, e.runId] };
}

function applyOne(d: Draft, e: WorkerEvent, now: number): Draft {
  switch (e.type) {
    case 'backend/ready':
      return { ...d, backend: { ...d.backend, status: 'loaded', info: e.info, error: null } };
    case 'dataset/progressed':
      if (e.requestId !== d.dataset.requestId) return d;
      return { ...d, dataset: { ...d.dataset, progress: { phase: e.phase, done: e.done, total: e.total } } };
    case 'dataset/loaded':
      if (e.requestId !== d.dataset.requestId) return d;
      return { ...d, dataset: { ...d.dataset, status: 'loaded', progress: null, summary: e.summary, error: null, edits: [] } };
    case 'dataset/edited':
      return { ...d, dataset: { ...d.dataset, edits: e.edits } };
    case 'weights/progressed': {
      if (e.requestId !== d.weights.requestId) return d;
      const startedAt = d.weights.progress?.phase === e.phase ? d.weights.progress.startedAt : now;
      return {
        ...d,
        weights: {
          ...d.weights,
          progress: { phase: e.phase, loadedBytes: e.loadedBytes, totalBytes: e.totalBytes, startedAt, updatedAt: now },
        },
      };
    }
    case 'weights/loaded':
      if (e.requestId !== d.weights.requestId) return d;
      return { ...d, weights: { ...d.weights, status: 'loaded', progress: null, info: e.info, error: null } };
    case 'lab/opened': {
      const restored = e.dataset && d.dataset.status !== 'loaded' && d.dataset.status !== 'loading';
      const dataset = restored
        ? {
            ...d.dataset,
            status: 'loaded' as const,
            sourceName: e.dataset?.name ?? null,
            summary: e.dataset,
            error: null,
            edits: e.edits ?? [],
          }
        : d.dataset;
      // A queue the page lost (reload) comes back waiting; one the page holds (crash, re-open) is newer.
      const queue = d.queue ?? (e.queue && { ...e.queue, waiting: true });
      return {
        ...mergeSavedRuns(d, e.runs, false),
        dataset,
        queue,
        storage: { ...d.storage, open: true, info: e.storage, settings: e.settings },
      };
    }
    case 'storage/changed': {
      const next = e.runs ? mergeSavedRuns(d, e.runs, true) : d;
      return { ...next, storage: { ...d.storage, info: e.storage } };
    }
    case 'storage/failed':
      return {
        ...d,
        storage: { ...d.storage, error: e.message },
        messages: withMessage(d.messages, {
          title: 'Saving to the browser’s storage failed',
          detail: e.message,
          hint: 'Training goes on; delete old runs or checkpoints in the Storage panel to make room.',
        }),
      };
    case 'train/started': {
      const known = d.runs[e.runId];
      const base = known ?? newRun(e.runId, d.runOrder.length + 1, e.config, now);
      const from = e.resumedFrom;
      // A resumed run continues after its checkpoint: what the page saw past it is trained again. A
      // run started (again) from nothing shows nothing of an earlier attempt.
      const last = from && from.epoch * e.batchesPerEpoch + from.batch;
      const shown = from
        ? {
            epochs: base.epochs.slice(0, from.epoch),
            batches: base.batches.filter((b) => b.step <= (last ?? 0)),
            lastBatch: null,
            error: null,
          }
        : { epochs: [], batches: [], lastBatch: null, resumeAt: null, memory: null, error: null };
      const run: Run = {
        ...base,
        ...shown,
        config: e.config,
        classes: e.classes,
        edits: e.edits ?? [],
        batchesPerEpoch: e.batchesPerEpoch,
        status: base.status === 'stopping' ? 'stopping' : 'running',
        startedAt: now,
      };
      const order = known ? d.runOrder : [...d.runOrder, e.runId];
      return {
        ...d,
        runs: { ...d.runs, [e.runId]: run },
        runOrder: order,
        selectedRunIds: known ? d.selectedRunIds : [...d.selectedRunIds, e.runId],
      };
    }
    case 'train/checkpointSaved': {
      const write = { bytes: e.bytes, writeMs: e.writeMs, blockedMs: e.blockedMs, midEpoch: (e.resumeAt?.batch ?? 0) > 0 };
      const next = updateRun(d, e.runId, (r) => ({ ...r, resumeAt: e.resumeAt }));
      return { ...next, storage: { ...next.storage, lastWrite: write } };
    }
    case 'train/checkpointsStopped':
      return {
        ...d,
        storage: { ...d.storage, error: e.message },
        messages: withMessage(d.messages, { title: 'Checkpoints stopped', detail: e.message, hint: e.hint }),
      };
    case 'train/featuresProgressed':
      return updateRun(d, e.runId, (r) => ({ ...r, features: { done: e.done, total: e.total } }));
    case 'train/epochEnded':
      return updateRun(d, e.runId, (r) => ({ ...r, epochs: [...r.epochs, e.metrics], memory: e.memory }));
    case 'train/finished':
      return updateRun(d, e.runId, (r) => ({
        ...r,
        status: e.reason,
        bestEpoch: e.bestEpoch,
        totalMs: e.totalMs,
        error: e.reason === 'failed' ? (r.error ?? 'The run failed.') : r.error,
      }));
    case 'run/imported':
      return applyImported(d, e, now);
    case 'error':
      return applyError(d, e);
    case 'train/batchEnded':
    case 'worker/ready':
    case 'augment/previewed':
    case 'predict/done':
    case 'explain/gradCamComputed':
    case 'predict/filesDone':
    case 'evaluate/misclassifiedListed':
    case 'evaluate/topLossesListed':
    case 'lr/found':
    case 'lr/progressed':
    case 'export/ready':
      return d;
  }
}

/** The state after `events`, in order. Replies that only their requester reads are ignored here. */
export function reduceEvents(state: Draft, events: readonly WorkerEvent[], now: number): Draft {
  let d: Draft = state;
  let pending = new Map<string, BatchMetrics[]>();
  const flush = () => {
    for (const [runId, metrics] of pending) d = updateRun(d, runId, (r) => appendBatches(r, metrics));
    pending = new Map();
  };
  for (const e of events) {
    if (e.type === 'train/batchEnded') {
      const list = pending.get(e.runId) ?? [];
      list.push(e.metrics);
      pending.set(e.runId, list);
    } else {
      flush();
      d = applyOne(d, e, now);
    }
  }
  flush();
  return d;
}
