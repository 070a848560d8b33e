import { describe, expect, it } from 'vitest';
import type { Command } from '../shared/protocol.ts';
import { createLabCommands, type LabPort } from './commands.ts';
import { createLabStore } from '../state/store.ts';

function fakePort() {
  const sent: Command[] = [];
  let id = 0;
  const port = {
    send: (c: Command) => void sent.push(c),
    request: (c: Command) => (sent.push(c), new Promise<never>(() => undefined)),
    newId: (prefix: string) => `${prefix}-${++id}`,
  } as unknown as LabPort;
  return { port, sent };
}

describe('commands', () => {
  it('a failed run in "run all four" drops the rest of the queue and says which regimes were not run', () => {
    const { port, sent } = fakePort();
    const store = createLabStore();
    const commands = createLabCommands(port, store, () => 0);
    commands.runAllRegimes();
    const first = store.getState().runOrder[0]!;
    expect(sent).toMatchObject([{ type: 'train/start', config: { regime: 'linear' } }]);
    store.getState().applyEvents([{ type: 'error', command: 'train/start', runId: first, message: 'no dataset' }], 0);
    commands.runEnded(first);
    expect(store.getState().queue).toBeNull();
    expect(sent).toHaveLength(1);
    expect(store.getState().messages.at(-1)!.detail).toMatch(/Full fine-tune, Discriminative learning rates, Frozen lower layers/);
  });

  it('stop cancels the queue and marks the run stopping; dataset load sends the validation fraction and seed', () => {
    const { port, sent } = fakePort();
    const store = createLabStore();
    const commands = createLabCommands(port, store, () => 0);
    commands.runAllRegimes();
    const runId = store.getState().runOrder[0]!;
    commands.stopRun(runId);
    expect(store.getState().queue).toBeNull();
    expect(store.getState().runs[runId]!.status).toBe('stopping');
    commands.loadDataset({ kind: 'demo' });
    expect(sent.at(-1)).toMatchObject({ type: 'dataset/load', source: { kind: 'demo' }, options: { validationFraction: 0.1, seed: 42 } });
    expect(store.getState().dataset.status).toBe('loading');
  });

  it('panel requests go through typed senders that read the current setup and unwrap the reply', async () => {
    const sent: Command[] = [];
    const port = {
      send: () => undefined,
      request: (c: Command) => {
        sent.push(c);
        return Promise.resolve(
          c.type === 'augment/preview' ? { type: 'augment/previewed', images: ['img'] } : { type: 'export/ready', files: ['f'] },
        );
      },
      newId: (prefix: string) => `${prefix}-1`,
    } as unknown as LabPort;
    const store = createLabStore();
    store.getState().updateTrainConfig({ inputSize: 96, seed: 7 });
    const commands = createLabCommands(port, store, () => 0);
    expect(await commands.previewAugment(12)).toEqual(['img']);
    expect(await commands.exportRun('run-3', 'safetensors')).toEqual(['f']);
    expect(sent).toMatchObject([
      { type: 'augment/preview', inputSize: 96, seed: 7, count: 12 },
      { type: 'export/run', runId: 'run-3', format: 'safetensors' },
    ]);
  });
});
