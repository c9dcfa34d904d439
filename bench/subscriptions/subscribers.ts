import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** What every subscriber selects: promotion-subgraph fields only (no Rest fetch per event). */
export const PRIMARY_SELECTION = '{ cursor occurredAt promotion { id name state } }';
/** Plus a funding field: one Rest fetch to the funding subgraph per event and subscriber. */
export const FEDERATED_SELECTION =
  '{ cursor occurredAt promotion { id name state funding { check { area passed } } } }';

type Event = { promotionStateChanged: { cursor: string; occurredAt: string } };

export type Arrival = { at: number; occurredAt: number };

/**
 * `count` graphql-ws clients of the gateway, each its own WebSocket and subscription to
 * promotionStateChanged after `after`. Records, per event cursor, when each subscriber got it.
 */
export async function openSubscribers(options: {
  url: string;
  token: string;
  count: number;
  after: string;
  selection: string;
  /** Sockets opened at once. */
  batch?: number;
}) {
  const arrivals = new Map<string, Arrival[]>();
  const waiters = new Map<string, { count: number; resolve: () => void }>();
  const clients: Client[] = [];
  const errors: unknown[] = [];
  const query = `subscription($after: String) { promotionStateChanged(after: $after) ${options.selection} }`;
  const wsUrl = options.url.replace(/^http/, 'ws');
  const batch = options.batch ?? 100;
  for (let i = 0; i < options.count; i += batch) {
    const opening: Promise<void>[] = [];
    for (let j = i; j < Math.min(options.count, i + batch); j += 1) {
      opening.push(
        new Promise<void>((resolve, reject) => {
          const client = createClient({
            url: wsUrl,
            webSocketImpl: WebSocket,
            lazy: false,
            retryAttempts: 0,
            connectionParams: { authorization: `Bearer ${options.token}` },
            on: { connected: () => resolve(), closed: (e) => reject(e) },
          });
          clients.push(client);
          client.subscribe<Event>(
            { query, variables: { after: options.after } },
            {
              next(result) {
                const at = Date.now();
                if (!result.data) return void errors.push(result.errors);
                const { cursor, occurredAt } = result.data.promotionStateChanged;
                let list = arrivals.get(cursor);
                if (!list) arrivals.set(cursor, (list = []));
                list.push({ at, occurredAt: Date.parse(occurredAt) });
                const waiter = waiters.get(cursor);
                if (waiter && list.length >= waiter.count) waiter.resolve();
              },
              error: (error) => void errors.push(error),
              complete: () => undefined,
            },
          );
        }),
      );
    }
    await Promise.all(opening);
  }
  return {
    arrivals,
    errors,
    /** Resolves when every subscriber received the event with `cursor` (rejects after `ms`). */
    allReceived(cursor: string, ms = 60_000): Promise<void> {
      if ((arrivals.get(cursor)?.length ?? 0) >= options.count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(cursor);
          const got = arrivals.get(cursor)?.length ?? 0;
          reject(new Error(`${got} of ${options.count} subscribers received ${cursor}`));
        }, ms);
        waiters.set(cursor, {
          count: options.count,
          resolve: () => {
            clearTimeout(timer);
            waiters.delete(cursor);
            resolve();
          },
        });
      });
    },
    async close() {
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
