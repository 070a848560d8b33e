import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../shared/protocol.ts';
import { LabClient } from './lab-client.ts';

/** A stand-in Worker: the test posts its events; terminate() is recorded. */
class FakeWorker extends EventTarget {
  terminated = false;
  postMessage(): void {}
  terminate(): void {
    this.terminated = true;
  }
  emit(data: WorkerEvent): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

describe('LabClient recovery', () => {
  it('a worker that reports it cannot go on (device lost) is terminated, listeners hear it, and a restarted worker takes over', () => {
    const workers: FakeWorker[] = [];
    const client = new LabClient(() => {
      workers.push(new FakeWorker());
      return workers.at(-1) as unknown as Worker;
    });
    const heard: WorkerEvent[] = [];
    client.subscribe((e) => heard.push(e));
    client.onCrash(() => client.restart());
    workers[0]!.emit({ type: 'error', command: 'worker', message: 'The WebGPU device was lost (destroyed).' });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(heard).toEqual([{ type: 'error', command: 'worker', message: 'The WebGPU device was lost (destroyed).' }]);
    // The old worker's late messages are ignored; the new one's reach the listeners.
    workers[0]!.emit({ type: 'worker/ready' });
    workers[1]!.emit({ type: 'worker/ready' });
    expect(heard).toHaveLength(2);
  });

  it('an uncaught error in the worker counts as a crash too', () => {
    const worker = new FakeWorker();
    const client = new LabClient(() => worker as unknown as Worker);
    let crashes = 0;
    client.onCrash(() => (crashes += 1));
    worker.dispatchEvent(Object.assign(new Event('error'), { message: 'boom' }));
    expect(crashes).toBe(1);
    expect(worker.terminated).toBe(true);
  });
});
