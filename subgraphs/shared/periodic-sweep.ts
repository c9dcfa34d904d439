/**
 * One background job run on a timer and on demand, never twice at once: a `wake` while it runs
 * makes it run once more right after (coalesced), a failed run goes to `onError` and the next
 * tick tries again, and `stop` waits for the run in flight. The promotion subgraph's scheduler,
 * activation monitor and exception monitor each own one.
 */
export class PeriodicSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Runs soon; while a run is in flight, once more after it. Nothing once stopped. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.run()
      .then(
        () => undefined,
        (error: unknown) => this.onError(error),
      )
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Runs every `intervalMs` (0: never by itself); the timer does not keep the process alive. */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer || this.stopped) return;
    this.timer = setInterval(() => this.wake(), intervalMs);
    this.timer.unref();
  }

  /** For good: no more runs; resolves once the run in flight (if any) is over. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.again = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
