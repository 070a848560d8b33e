import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../shared/protocol.ts';
import { handleCommand } from './handler.ts';
import { createSession } from './session.ts';

describe('handleCommand', () => {
  it('turns a failing command into an error event naming the command and its requestId', async () => {
    const events: WorkerEvent[] = [];
    const session = createSession('http://127.0.0.1/');
    session.markBackendSettled();
    await handleCommand(
      { type: 'predict/image', requestId: 'req-7', runId: 'nope', image: { width: 1, height: 1, channels: 1, pixels: new Uint8Array(1) } },
      session,
      (e) => events.push(e),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', command: 'predict/image', requestId: 'req-7' });
  });

  it('holds commands until the first backend has settled, so tf never picks a backend by itself', async () => {
    const events: WorkerEvent[] = [];
    const session = createSession('http://127.0.0.1/');
    const pending = handleCommand({ type: 'train/stop', runId: 'r' }, session, (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
    session.markBackendSettled();
    await pending;
    expect(events).toMatchObject([{ type: 'error', command: 'train/stop', runId: 'r' }]);
  });
});
