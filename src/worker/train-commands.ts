import { applyDatasetEdits } from '../data/dataset-edits.ts';
import { trainRun, type TrainResume } from '../ml/train/trainer.ts';
import type { CommandOf } from '../shared/protocol.ts';
import { bestEpochOf } from '../shared/best-epoch.ts';
import { trainConfigProblem } from '../shared/validate-config.ts';
import { datasetKeyOf } from '../storage/pack.ts';
import type { ResumePoint, TrainConfig } from '../shared/types.ts';
import { RunCheckpoints } from './checkpoints.ts';
import { assertRunFits } from './memory-check.ts';
import { saveRun } from './persistence.ts';
import { datasetOfRun } from './run-dataset.ts';
import { newRunRecord, type RunRecord } from './runs.ts';
import type { BaseWeights, Post, Session } from './session.ts';
import { buildRunModel } from './weights-commands.ts';

/**
 * Trains `run` (registered as the active run, its model built) to its end, saving each epoch and,
 * inside epochs, a resumable checkpoint as often as the setting asks. A crash marks only this run
 * failed; finished epochs, its last checkpoint and every other run stay as they were. A resumed
 * run passes `resume` and where it continues from (`from`: its training time then counts on).
 */
export async function trainRecord(
  run: RunRecord & { model: NonNullable<RunRecord['model']> },
  session: Session,
  post: Post,
  resume: (TrainResume & { readonly from: ResumePoint }) | null,
) {
  const { runId, config, model } = run;
  const dataset = datasetOfRun(session, run);
  const started = performance.now();
  const priorMs = resume?.from.elapsedMs ?? 0;
  const elapsedMs = () => priorMs + (performance.now() - started);
  const checkpoints = new RunCheckpoints(session.persistence, run, post, elapsedMs, dataset.splits.train.length);
  await saveRun(session.persistence, run, post);
  try {
    const result = await trainRun(
      model,
      dataset,
      config,
      {
        onStarted: ({ batchesPerEpoch }) => {
          run.batchesPerEpoch = batchesPerEpoch;
          post({
            type: 'train/started',
            runId,
            config,
            batchesPerEpoch,
            classes: dataset.classes,
            edits: run.edits ?? [],
            ...(resume ? { resumedFrom: resume.from } : {}),
          });
        },
        onBatch: (batch) => {
          const metrics = { ...batch, elapsedMs: elapsedMs() };
          run.pendingBatches.push(metrics);
          post({ type: 'train/batchEnded', runId, metrics });
        },
        onFeatures: (done, total) => post({ type: 'train/featuresProgressed', runId, done, total }),
        onEpoch: (metrics, memory, validation) => {
          run.history.push(metrics);
          run.validationPredictions.set(metrics.epoch, validation.predictions);
          run.bestEpoch = bestEpochOf(run.history);
          post({ type: 'train/epochEnded', runId, metrics, memory: { numTensors: memory.numTensors, numBytes: memory.numBytes } });
        },
        onCheckpoint: (state) => checkpoints.epochEnded(state),
        midEpochCheckpointDue: () => checkpoints.midEpochDue(),
        onMidEpochCheckpoint: (state) => checkpoints.takeMidEpoch(state),
        shouldStop: () => run.stopRequested,
      },
      {},
      resume,
    );
    const totalMs = elapsedMs();
    // A mid-epoch write still under way commits the running record: it must land before the final one.
    await checkpoints.settled();
    run.totalMs = totalMs;
    session.runs.finish(run, result.reason);
    await checkpoints.ended();
    await saveRun(session.persistence, run, post);
    post({ type: 'train/finished', runId, reason: result.reason, bestEpoch: run.bestEpoch, totalMs: run.totalMs });
  } catch (err) {
    await checkpoints.settled();
    // The GPU device went away under the run: it is not failed but interrupted (its record stays
    // "running", with its last checkpoint), as after a crash; the page replaces this worker.
    if (session.gpuLost !== null) return session.runs.finish(run, 'interrupted');
    run.error = err instanceof Error ? err.message : String(err);
    session.runs.finish(run, 'failed');
    await checkpoints.ended();
    await saveRun(session.persistence, run, post);
    post({ type: 'train/finished', runId, reason: 'failed', bestEpoch: run.bestEpoch, totalMs: 0 });
    throw err;
  } finally {
    run.pendingBatches.length = 0;
  }
}

/** The weights a run with `config` starts from: the session's, or a seeded random init (labelled as such) when none were loaded. */
export function sessionWeights(session: Session, config: TrainConfig): BaseWeights {
  return (
    session.weights ?? {
      info: {
        source: 'random-init' as const,
        label: `Random initialisation (seed ${config.seed}) — NOT pretrained`,
        pretrained: false,
        parameterCount: 0,
      },
      tensors: null,
      seed: config.seed,
      classes: null,
    }
  );
}

/**
 * Handles `train/start`: builds a fresh model from the session's base weights (seeded random init,
 * labelled as such, when none were loaded), trains it and keeps it for predict/export.
 */
export async function startTraining(command: CommandOf<'train/start'>, session: Session, post: Post): Promise<void> {
  const { runId, config } = command;
  const loaded = session.dataset;
  if (!loaded) throw new Error('No dataset is loaded. Drop a dataset or choose the demo dataset before starting a run.');
  // The run trains and is evaluated on the dataset as edited now; it records the edits it saw.
  const edits = session.datasetEdits;
  const dataset = applyDatasetEdits(loaded, edits);
  if (session.runs.active) throw new Error(`Run ${session.runs.active.runId} is still training; stop it or wait for it to finish.`);
  // Settings first, then memory (a refusal names a batch that fits), then the batch against the split.
  const settingsProblem = trainConfigProblem(config, Number.POSITIVE_INFINITY);
  if (settingsProblem) throw new Error(settingsProblem);
  assertRunFits(config, dataset);
  const problem = trainConfigProblem(config, dataset.splits.train.length);
  if (problem) throw new Error(problem);
  const weights = sessionWeights(session, config);
  const model = buildRunModel(weights, dataset.classes.length, config.seed);
  const run = newRunRecord({
    runId,
    number: session.runs.all().length + 1,
    config,
    classes: dataset.classes,
    dataset,
    datasetKey: datasetKeyOf(loaded),
    edits,
    backend: session.backend?.backend ?? null,
    weightsLabel: weights.info.label,
    model,
    status: 'running',
  });
  session.runs.start(run);
  await trainRecord(run, session, post, null);
}

/** Handles `train/stop`: the run ends after its current batch, keeping finished epochs. */
export function stopTraining(command: CommandOf<'train/stop'>, session: Session): void {
  const run = session.runs.get(command.runId);
  if (!run) throw new Error(`There is no run ${command.runId} to stop.`);
  run.stopRequested = true;
}
