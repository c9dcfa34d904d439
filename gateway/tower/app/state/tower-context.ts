import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Operation } from '../api/operation.ts';
import type { Permissions } from '../api/permissions.ts';
import type { Session } from '../api/session.ts';
import type { PromotionStore } from './promotion-store.ts';

/** What every part of a signed-in page shares. */
export type Tower = {
  session: Session;
  permissions: Permissions;
  store: PromotionStore;
  /** Runs an operation with the session's token (a refused token signs out). */
  run<T>(operation: Operation, variables: Record<string, unknown>): Promise<T>;
};

export const TowerContext = createContext<Tower | undefined>(undefined);

export function useTower(): Tower {
  const tower = useContext(TowerContext);
  if (!tower) throw new Error('useTower outside a signed-in page');
  return tower;
}
