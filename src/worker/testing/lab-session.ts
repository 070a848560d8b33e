import { openLabDb } from '../../storage/lab-db.ts';
import { createSession, type Session } from '../session.ts';

/** A worker session whose backend is settled and whose lab is stored in the IndexedDB `dbName` (fake-indexeddb in Node). */
export async function labIn(dbName: string): Promise<Session> {
  const session = createSession('http://127.0.0.1/');
  session.markBackendSettled();
  session.persistence = { db: await openLabDb(dbName), keep: 'last-and-best', everyMinutes: 2, datasetBytes: 0 };
  return session;
}
