import type { OtlpSink } from '../harness/otlp-sink.ts';
import type { RunningScenario, ScenarioContext } from '../scenarios/scenario.ts';

export type TargetContext = ScenarioContext & {
  /** The bench folder (bench/), where its own node_modules live. */
  benchRoot: string;
  scenario: RunningScenario;
};

export type RunningTarget = {
  /** Where the load goes (a gateway's /graphql or, for the floor, a subgraph's). */
  url: string;
  /** Its processes, for CPU and memory; empty for the floor (its CPU is the subgraphs'). */
  pids: number[];
  stop(): Promise<void>;
  /**
   * The span sink this target's gateway exports to (a-otel): the harness reads what it received
   * per mode and fails the run when it received nothing.
   */
  otlpSink?: OtlpSink;
};

/** One thing under test: a gateway in one configuration, or the direct-subgraph floor. */
export type BenchTarget = {
  /** Short id for `--only` and the tables: a, b, c, d, d-router, e. */
  id: string;
  label: string;
  /**
   * Runs only when `--only` names it by its full id (a variant measured on demand; `--only a`
   * does not select a-otel). Default false.
   */
  optional?: boolean;
  /** Why it cannot run here (a peer not installed, nothing to measure), or undefined. */
  unavailable(scenario: RunningScenario, benchRoot: string): string | undefined;
  start(context: TargetContext): Promise<RunningTarget>;
};

/** The check every gateway gets before the first request: `{ __typename }` answered below 500. */
export const TYPENAME_PROBE: RequestInit = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"query":"{ __typename }"}',
};
