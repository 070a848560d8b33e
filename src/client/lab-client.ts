import { REPLY_TYPE, transferablesOf, type Command, type ReplyOf, type RequestCommand, type WorkerEvent } from '../shared/protocol.ts';

type Listener = (event: WorkerEvent) => void;

/**
 * The main-thread side of the training worker: owns the Worker, sends commands (buffers as
 * transferables) and fans events out to listeners. Used by the app and by the `lab` CLI's page.
 */
export class LabClient {
  private readonly listeners = new Set<Listener>();
  private nextId = 0;

  private worker: Worker;
  private readonly crashHandlers = new Set<() => void>();

  /** @param spawn starts a worker (again after a crash: see `restart`). */
  constructor(private readonly spawn: () => Worker) {
    this.worker = this.attach(spawn());
  }

  private attach(worker: Worker): Worker {
    worker.addEventListener('message', (e: MessageEvent<WorkerEvent>) => {
      if (worker !== this.worker) return;
      // The worker itself reports that it cannot go on (its GPU device was lost): treat as a crash.
      if (e.data.type === 'error' && e.data.command === 'worker') this.crashed(e.data.message);
      else this.emit(e.data);
    });
    worker.addEventListener('error', (e) => {
      if (worker === this.worker) this.crashed(`The training worker crashed: ${e.message || 'unknown error'}`);
    });
    return worker;
  }

  private emit(event: WorkerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /**
   * The worker is gone or in an unknown state: it is terminated, every listener hears an `error`
   * event from `worker`, and `onCrash` handlers may restart it.
   */
  crashed(message: string): void {
    this.worker.terminate();
    this.emit({ type: 'error', command: 'worker', message });
    for (const handler of this.crashHandlers) handler();
  }

  /** Called after each crash (after listeners heard of it). */
  onCrash(handler: () => void): void {
    this.crashHandlers.add(handler);
  }

  /** Starts a fresh worker in place of the old one; listeners stay subscribed. */
  restart(): void {
    this.worker.terminate();
    this.worker = this.attach(this.spawn());
  }

  /** Starts the app's training worker. */
  static start(): LabClient {
    return new LabClient(
      () => new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'expression-lab' }),
    );
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
