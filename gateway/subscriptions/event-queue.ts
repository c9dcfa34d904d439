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
  /** Values queued and not yet pulled. */
  readonly size: number;
  readonly closed: boolean;
};

/** `onClose` runs once, when the queue ends or the consumer returns (client gone). */
export function createEventQueue<T>(onClose: () => void): EventQueue<T> {
  const values: T[] = [];
  const waiting: ((result: IteratorResult<T, void>) => void)[] = [];
  let closed = false;
  const done = (): IteratorResult<T, void> => ({ value: undefined, done: true });
  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  const queue: EventQueue<T> = {
    push(value) {
      if (closed) return false;
      const consumer = waiting.shift();
      if (consumer) consumer({ value, done: false });
      else values.push(value);
      return true;
    },
    end() {
      close();
      if (values.length === 0) waiting.splice(0).forEach((consumer) => consumer(done()));
    },
    get size() {
      return values.length;
    },
    get closed() {
      return closed;
    },
    async next() {
      if (values.length > 0) return { value: values.shift()!, done: false };
      if (closed) return done();
      return new Promise((resolve) => waiting.push(resolve));
    },
    async return() {
      close();
      values.length = 0;
      waiting.splice(0).forEach((consumer) => consumer(done()));
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
