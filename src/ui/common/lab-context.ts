import { createContext, useContext } from 'react';
import type { LabClient } from '../../client/lab-client.ts';
import type { LabCommands } from '../../state/commands.ts';
import type { StorageCommands } from '../../client/storage-commands.ts';

/** The worker client (for requests whose replies only one panel reads) and the store-bound commands. */
export interface LabHandle {
  readonly client: LabClient;
  readonly commands: LabCommands;
  readonly storage: StorageCommands;
}

/** Provided once by App. */
export const LabContext = createContext<LabHandle | null>(null);

/** The lab handle; panels must sit under App's provider. */
export function useLabHandle(): LabHandle {
  const lab = useContext(LabContext);
  if (!lab) throw new Error('useLabHandle() outside <LabContext.Provider>');
  return lab;
}
