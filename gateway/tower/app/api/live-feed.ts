/**
 * A subscription that survives reconnects: when the connection drops (or the gateway ends the
 * subscription for a reason worth retrying), it subscribes again after a back-off with
 * `after: <the last cursor received>`, which the gateway replays from without loss or
 * duplicates. A subscription without `after` starts from now, so whenever one goes live
 * (the first, or one after CURSOR_EXPIRED, when the events after the cursor are gone) `onFresh`
 * tells the page to re-read what it shows. Events are pushed by the gateway; nothing here polls. Pure: the transport and the
 * timer are passed in (the browser's are in ws-transport.ts), so node's tests drive it.
 */
export type FeedStatus =
  | { state: 'connecting' }
  | { state: 'live' }
  | { state: 'reconnecting'; inMs: number; reason: string }
  | { state: 'stopped'; reason: string };

export type FeedSink<E> = {
  /** The transport is connected and the subscription sent. */
  connected(): void;
  next(event: E): void;
  error(reason: FeedError): void;
  complete(): void;
};

/**
 * Why a subscription stopped: `fatal` ones are not retried (refused token, refused document);
 * `expired` (CURSOR_EXPIRED) ones are retried from now, without the cursor.
 */
export type FeedError = { message: string; fatal: boolean; expired?: boolean };

/** Starts one subscription with these variables; returns its disposer. */
export type FeedTransport<E> = (variables: { after?: string }, sink: FeedSink<E>) => () => void;

export type LiveFeedOptions<E> = {
  subscribe: FeedTransport<E>;
  onEvent(event: E): void;
  onStatus(status: FeedStatus): void;
  /** The cursor of an event. */
  cursorOf(event: E): string;
  /** A subscription without `after` went live: events before it are not coming (re-read). */
  onFresh?(): void;
  /** Resume after this cursor from the start (e.g. a mutation's eventCursor). Default: live now. */
  after?: string;
  /** Waits before each retry, the last one repeated. Default 1, 2, 5, 10, 30 s. */
  retryDelaysMs?: readonly number[];
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
};

export type LiveFeed = {
  /** The last cursor received (what a reconnect resumes after). */
  cursor(): string | undefined;
  stop(): void;
};

export function startLiveFeed<E>(options: LiveFeedOptions<E>): LiveFeed {
  const delays = options.retryDelaysMs ?? [1000, 2000, 5000, 10_000, 30_000];
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as number));
  let cursor = options.after;
  let failures = 0;
  let stopped = false;
  let dispose: (() => void) | undefined;
  let timer: unknown;

  const retry = (reason: string) => {
    dispose = undefined;
    if (stopped) return;
    const inMs = delays[Math.min(failures, delays.length - 1)]!;
    failures += 1;
    options.onStatus({ state: 'reconnecting', inMs, reason });
    timer = setTimer(start, inMs);
  };

  function start() {
    timer = undefined;
    if (stopped) return;
    options.onStatus({ state: 'connecting' });
    // One sink per attempt: a late callback of an abandoned attempt changes nothing.
    let current = true;
    const fresh = cursor === undefined;
    dispose = options.subscribe(fresh ? {} : { after: cursor }, {
      connected() {
        if (!current || stopped) return;
        failures = 0;
        options.onStatus({ state: 'live' });
        if (fresh) options.onFresh?.();
      },
      next(event) {
        if (!current || stopped) return;
        cursor = options.cursorOf(event);
        options.onEvent(event);
      },
      error(reason) {
        if (!current || stopped) return;
        current = false;
        if (reason.expired) cursor = undefined;
        if (reason.fatal) {
          stopped = true;
          options.onStatus({ state: 'stopped', reason: reason.message });
        } else retry(reason.message);
      },
      complete() {
        // A feed never completes on its own: the gateway ended it (reload, shutdown).
        if (!current || stopped) return;
        current = false;
        retry('the gateway ended the subscription');
      },
    });
  }

  start();
  return {
    cursor: () => cursor,
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimer(timer);
      dispose?.();
    },
  };
}
