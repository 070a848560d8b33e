import { createContext, useContext } from 'react';
import type { LabCommands } from '../../client/commands.ts';

/**
 * What panels reach the worker through: the store-bound command senders (client/commands.ts),
 * never the worker client itself, so every request has one typed sender.
 */
export interface LabHandle {
  readonly commands: LabCommands;
}

/** Provided once by App. */
export const LabContext = createContext<LabHandle | null>(null);

/** The lab handle; panels must sit under App's provider. */
export function useLabHandle(): LabHandle {
  const lab = useContext(LabContext);
  if (!lab) throw new Error('useLabHandle() outside <LabContext.Provider>');
  return lab;
}
