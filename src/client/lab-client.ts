import { REPLY_TYPE, transferablesOf, type Command, type ReplyOf, type RequestCommand, type WorkerEvent } from '../shared/protocol.ts';

type Listener = (event: WorkerEvent) => void;

/**
 * The main-thread side of the training worker: owns the Worker, sends commands (buffers as
 * transferables) and fans events out to listeners. Used by the app and by the `lab` CLI's page.
 */
export class LabClient {
  private readonly listeners = new Set<Listener>();
  private nextId = 0;

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (e: MessageEvent<WorkerEvent>) => {
      for (const listener of this.listeners) listener(e.data);
    });
    worker.addEventListener('error', (e) => {
      const event: WorkerEvent = {
        type: 'error',
        command: 'worker',
        message: `The training worker crashed: ${e.message || 'unknown error'}`,
      };
      for (const listener of this.listeners) listener(event);
    });
  }

  /** Starts the app's training worker. */
  static start(): LabClient {
    return new LabClient(new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'expression-lab' }));
  }

  /** A fresh id for `requestId` / `runId`. */
  newId(prefix: string): string {
    this.nextId += 1;
    return `${prefix}-${Date.now().toString(36)}-${this.nextId}`;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fire and forget. ArrayBuffers in the command are transferred, not copied. */
  send(command: Command): void {
    this.worker.postMessage(command, transferablesOf(command));
  }

  /** Sends a request and resolves with its reply event, or rejects with the worker's error message. */
  request<C extends RequestCommand>(command: C, onEvent?: Listener): Promise<ReplyOf<C['type']>> {
    const replyType: string = REPLY_TYPE[command.type];
    return new Promise((resolve, reject) => {
      const unsubscribe = this.subscribe((event) => {
        const id = 'requestId' in event ? event.requestId : undefined;
        if (event.type === 'error' && (id === command.requestId || event.command === 'worker')) {
          unsubscribe();
          reject(new Error(event.message));
        } else if (id === command.requestId) {
          if (event.type === replyType) {
            unsubscribe();
            resolve(event as ReplyOf<C['type']>);
          } else onEvent?.(event);
        }
      });
      this.send(command);
    });
  }
}
