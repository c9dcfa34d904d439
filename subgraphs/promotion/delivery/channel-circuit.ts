import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhenResult,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { DeliveryOutcome } from './channel-publisher.ts';

export type CircuitSettings = {
  /** Consecutive failed attempts (retryable outcomes) that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe (half-open). */
  coolDownMs: number;
};

export type CircuitStateName = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

const NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'CLOSED',
  [CircuitState.Open]: 'OPEN',
  [CircuitState.HalfOpen]: 'HALF_OPEN',
  [CircuitState.Isolated]: 'OPEN',
};

/** A retryable answer (5xx, 408, 429, timeout, no connection) counts against the channel. */
const failed = (outcome: DeliveryOutcome) => outcome.kind === 'retryable';

/**
 * One channel's circuit, in this dispatcher instance (state in memory: each instance probes on
 * its own, so N instances send at most N probes per cool-down). cockatiel's
 * CircuitBreakerPolicy with a ConsecutiveBreaker keeps the state; this class adds what the
 * dispatcher needs to decide *before* claiming a delivery: how many it may send now (`admits`)
 * and when the next probe is due (`probeDueAt`), so deliveries waiting behind an open circuit
 * are never claimed and never use up an attempt.
 */
export class ChannelCircuit {
  private readonly breaker: CircuitBreakerPolicy;
  private probing = false;

  constructor(
    private readonly settings: CircuitSettings,
    onChange: (state: CircuitStateName) => void,
  ) {
    this.breaker = circuitBreaker(
      handleWhenResult((r) => failed(r as DeliveryOutcome)),
      {
        halfOpenAfter: settings.coolDownMs,
        breaker: new ConsecutiveBreaker(settings.failureThreshold),
      },
    );
    this.breaker.onStateChange((state) => onChange(NAMES[state]));
  }

  get state(): CircuitStateName {
    return NAMES[this.breaker.state];
  }

  /**
   * When the open circuit lets one probe through (ms since the epoch, cockatiel's clock);
   * undefined when it is not open.
   */
  probeDueAt(): number | undefined {
    const { ownState } = this.breaker.toJSON() as {
      ownState: { value: number; openedAt?: number };
    };
    if (ownState.value !== CircuitState.Open || ownState.openedAt === undefined) return undefined;
    return ownState.openedAt + this.settings.coolDownMs;
  }

  /** How many deliveries may start now: all (closed), one probe (cool-down over), or none. */
  admits(now = Date.now()): number {
    if (this.breaker.state === CircuitState.Closed) return Number.POSITIVE_INFINITY;
    if (this.probing || this.breaker.state === CircuitState.HalfOpen) return 0;
    const due = this.probeDueAt();
    return due !== undefined && now >= due ? 1 : 0;
  }

  /**
   * Sends through the circuit; `undefined` when the circuit refused (opened since the claim, or a
   * probe is already out): nothing was sent.
   */
  async send(deliver: () => Promise<DeliveryOutcome>): Promise<DeliveryOutcome | undefined> {
    const probe = this.breaker.state !== CircuitState.Closed;
    if (probe && (this.probing || this.breaker.state === CircuitState.HalfOpen)) return undefined;
    if (probe) this.probing = true;
    try {
      return await this.breaker.execute(deliver);
    } catch (error) {
      if (error instanceof BrokenCircuitError) return undefined;
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }
}
