/**
 * A push-pull async iterator: a producer pushes, the transport (graphql-ws / graphql-sse)
 * pulls. Unlike an async generator function, `return()` takes effect at once even while a
 * `next()` is waiting, so a client's `complete` or disconnect unsubscribes upstream immediately.
 */
export type EventQueue<T> = AsyncGenerator<T, void, undefined> & {
  /** Queues a value; false when the queue is closed. */
  push(value: T): boolean;
  /** No more values: pending and later `next()` calls finish once the queue is drained. */
  end(): void;
  /** Ends with an error: queued values are still pulled, then `next()` rejects with `error`. */
  fail(error: unknown): void;
  /** Drops the values queued and not yet pulled (a slow consumer's backlog). */
  clear(): void;
  /** Values queued and not yet pulled. */
  readonly size: number;
  readonly closed: boolean;
};

export type EventQueueHooks<T> = {
  /** A value was handed to the consumer (pulled, or pushed to a waiting `next()`). */
  onTake?: (value: T) => void;
  /** The number of queued values changed by `delta`. */
  onSize?: (delta: number) => void;
};

type Waiter<T> = {
  resolve(result: IteratorResult<T, void>): void;
  reject(error: unknown): void;
};

/** `onClose` runs once, when the queue ends or the consumer returns (client gone). */
export function createEventQueue<T>(
  onClose: () => void,
  hooks: EventQueueHooks<T> = {},
): EventQueue<T> {
  const values: T[] = [];
  const waiting: Waiter<T>[] = [];
  let closed = false;
  let failure: { error: unknown } | undefined;
  const done = (): IteratorResult<T, void> => ({ value: undefined, done: true });
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  const drop = () => {
    if (values.length) hooks.onSize?.(-values.length);
    values.length = 0;
  };
  const settleWaiting = () => {
    if (waiting.length === 0) return; // a failure stays for the next `next()`
    for (const waiter of waiting.splice(0)) {
      if (failure) waiter.reject(failure.error);
      else waiter.resolve(done());
    }
    failure = undefined;
  };
  const queue: EventQueue<T> = {
    push(value) {
      if (closed) return false;
      const consumer = waiting.shift();
      if (consumer) {
        hooks.onTake?.(value);
        consumer.resolve({ value, done: false });
      } else {
        values.push(value);
        hooks.onSize?.(1);
      }
      return true;
    },
    end() {
      close();
      if (values.length === 0) settleWaiting();
    },
    fail(error) {
      if (closed) return;
      failure = { error };
      queue.end();
    },
    clear: drop,
    get size() {
      return values.length;
    },
    get closed() {
      return closed;
    },
    async next() {
      if (values.length > 0) {
        const value = values.shift()!;
        hooks.onSize?.(-1);
        hooks.onTake?.(value);
        return { value, done: false };
      }
      if (failure) {
        const { error } = failure;
        failure = undefined;
        throw error;
      }
      if (closed) return done();
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    async return() {
      close();
      drop();
      failure = undefined;
      settleWaiting();
      return done();
    },
    async throw(error: unknown) {
      await queue.return();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
