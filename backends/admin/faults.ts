import { HttpError } from '../http/types.ts';
import { createRng, type Rng } from '../erp/prng.ts';

export type FaultSpec = {
  /** A route key (`API_MATERIAL_STOCK_SRV/A_MatlStkInAcctMod`, `channels/pos`), a service or `*`. */
  match: string;
  /** Answer with this status (in the route's error shape) instead of handling the request. */
  status?: number;
  /** Delay before answering. */
  latencyMs?: number;
  /** Apply this many times, then remove the fault. Default: unlimited. */
  times?: number;
  /** Apply with this probability (deterministic PRNG). Default 1. */
  probability?: number;
};

export type Fault = FaultSpec & { id: number; applied: number };

/** Injected faults, matched in insertion order; the first match applies. */
export class Faults {
  private faults: Fault[] = [];
  private nextId = 1;
  private rng: Rng;

  constructor(private readonly seed: number) {
    this.rng = createRng(seed);
  }

  add(spec: unknown): Fault {
    const s = (spec ?? {}) as Record<string, unknown>;
    const bad = (message: string): never => {
      throw new HttpError(400, 'BAD_FAULT', message);
    };
    if (typeof s.match !== 'string' || s.match === '')
      bad('"match" must be a route key, a service or "*"');
    const int = (name: string, min: number, max: number): number | undefined => {
      const v = s[name];
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
        bad(`"${name}" must be an integer in ${min}..${max}`);
      return v as number;
    };
    const status = int('status', 100, 599);
    const latencyMs = int('latencyMs', 0, 600_000);
    const times = int('times', 1, 1_000_000);
    const p = s.probability;
    if (p !== undefined && (typeof p !== 'number' || p < 0 || p > 1))
      bad('"probability" must be within 0..1');
    if (status === undefined && latencyMs === undefined)
      bad('a fault needs "status" and/or "latencyMs"');
    const fault: Fault = {
      id: this.nextId++,
      match: s.match as string,
      ...(status !== undefined ? { status } : {}),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...(times !== undefined ? { times } : {}),
      ...(p !== undefined ? { probability: p as number } : {}),
      applied: 0,
    };
    this.faults.push(fault);
    return fault;
  }

  list(): readonly Fault[] {
    return this.faults;
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  /** The fault to apply to a call on `route` (consuming one of its `times`), if any. */
  /**
   * The first fault matching `route` (counted as applied), skipping those that also match
   * `unless`: a `$batch` part takes the faults of its entity set, not the service's again.
   */
  take(route: string, unless?: string): Fault | undefined {
    for (const fault of this.faults) {
      if (!matches(fault.match, route)) continue;
      if (unless !== undefined && matches(fault.match, unless)) continue;
      if (fault.probability !== undefined && this.rng.next() >= fault.probability) continue;
      fault.applied++;
      if (fault.times !== undefined && fault.applied >= fault.times) this.remove(fault.id);
      return fault;
    }
    return undefined;
  }

  reset(): void {
    this.faults = [];
    this.nextId = 1;
    this.rng = createRng(this.seed);
  }
}

function matches(pattern: string, route: string): boolean {
  if (pattern === '*' || pattern === route) return true;
  const prefix = pattern.endsWith('/*') ? pattern.slice(0, -1) : `${pattern}/`;
  return route.startsWith(prefix);
}
