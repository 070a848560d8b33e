import type { LabClient } from './lab-client.ts';

/** The part of LabClient the page's commands use (a fake in tests). */
export type LabPort = Pick<LabClient, 'send' | 'request' | 'newId'>;
