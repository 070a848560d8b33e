import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../shared/protocol.ts';
import { handleCommand } from './handler.ts';
import { createSession } from './session.ts';

describe('handleCommand', () => {
  it('turns a failing command into an error event naming the command and its requestId', async () => {
    const events: WorkerEvent[] = [];
    const session = createSession('http://127.0.0.1/');
    await handleCommand({ type: 'predict/image', requestId: 'req-7', runId: 'nope', image: { width: 1, height: 1, channels: 1, pixels: new Uint8Array(1) } }, session, (e) => events.push(e));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', command: 'predict/image', requestId: 'req-7' });
  });
});
