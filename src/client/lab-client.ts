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
  'export/pytorch': 'export/ready',
  'run/import': 'run/imported',
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
            : C extends 'export/run' | 'weights/export' | 'export/pytorch'
              ? EventOf<'export/ready'>
              : C extends 'predict/files'
                ? EventOf<'predict/filesDone'>
                : C extends 'run/import'
                  ? EventOf<'run/imported'>
                  : never;

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
