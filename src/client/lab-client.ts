import { transferablesOf, type Command, type EventOf, type EventType, type WorkerEvent } from '../shared/protocol.ts';

type Listener = (event: WorkerEvent) => void;

/** Reply event types per request command, so `request()` resolves with the right event. */
const REPLY: Partial<Record<Command['type'], EventType>> = {
  'backend/init': 'backend/ready',
  'dataset/load': 'dataset/loaded',
  'weights/load': 'weights/loaded',
  'augment/preview': 'augment/previewed',
  'predict/image': 'predict/done',
  'evaluate/misclassified': 'evaluate/misclassifiedListed',
  'export/run': 'export/ready',
  'weights/export': 'export/ready',
  'predict/files': 'predict/filesDone',
  'lab/open': 'lab/opened',
  'storage/forget': 'storage/changed',
  'lab/export': 'export/ready',
  'lab/import': 'storage/changed',
};

type ReplyOf<C extends Command['type']> = C extends 'backend/init'
  ? EventOf<'backend/ready'>
  : C extends 'dataset/load'
    ? EventOf<'dataset/loaded'>
    : C extends 'weights/load'
      ? EventOf<'weights/loaded'>
      : C extends 'augment/preview'
        ? EventOf<'augment/previewed'>
        : C extends 'predict/image'
          ? EventOf<'predict/done'>
          : C extends 'evaluate/misclassified'
            ? EventOf<'evaluate/misclassifiedListed'>
            : C extends 'export/run' | 'weights/export' | 'lab/export'
              ? EventOf<'export/ready'>
              : C extends 'predict/files'
                ? EventOf<'predict/filesDone'>
                : C extends 'lab/open'
                  ? EventOf<'lab/opened'>
                  : C extends 'storage/forget' | 'lab/import'
                    ? EventOf<'storage/changed'>
                    : never;

/**
 * The main-thread side of the training worker: owns the Worker, sends commands (buffers as
 * transferables) and fans events out to listeners. Used by the app and by the `lab` CLI's page.
 */
export class LabClient {
  private readonly listeners = new Set<Listener>();
  private nextId = 0;

  private worker: Worker;

  /** @param spawn starts a worker (again after a crash: see `restart`). */
  constructor(private readonly spawn: () => Worker) {
    this.worker = this.attach(spawn());
  }

  private attach(worker: Worker): Worker {
    worker.addEventListener('message', (e: MessageEvent<WorkerEvent>) => {
      if (worker === this.worker) this.emit(e.data);
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

  private readonly crashHandlers = new Set<() => void>();

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
  request<C extends Command & { requestId: string }>(command: C, onEvent?: Listener): Promise<ReplyOf<C['type']>> {
    const replyType = REPLY[command.type];
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
