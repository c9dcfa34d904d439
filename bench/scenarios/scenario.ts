import type { BenchPrincipal } from '../harness/bench-tokens.ts';
import type { ChildSpec, ManagedChild } from '../harness/child-process.ts';
import type { SubgraphStats } from './subgraph-http.ts';

/** A GraphQL request body, sent as JSON exactly as given. */
export type ScenarioOperation = {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
};

/** What the harness lends a scenario while it starts. */
export type ScenarioContext = {
  repoRoot: string;
  /** A temporary folder for generated files (supergraph), removed at the end. */
  workDir: string;
  freePort(): Promise<number>;
  /** Starts a child process the harness stops (and accounts) at the end. */
  startChild(spec: ChildSpec): ManagedChild;
  /** Waits until `url` answers (status < 500), failing early when `child` dies. */
  waitForHttp(child: ManagedChild | undefined, url: string, init: RequestInit): Promise<void>;
  log(message: string): void;
};

/** A scenario's subgraphs (and back-ends), up and composed. */
export type RunningScenario = {
  /** Composed supergraph file; its routing URLs point at the running subgraphs. */
  supergraphPath: string;
  /** Subgraph name → GraphQL URL. */
  subgraphUrls: Record<string, string>;
  /**
   * Environment our gateway needs besides PORT, HOST, NODE_ENV and SUPERGRAPH_PATH, e.g. the
   * `<NAME>_URL` overrides of gateway/config.ts.
   */
  ourGatewayEnv: Record<string, string>;
  /** Processes serving the subgraphs and back-ends (their CPU is reported as "subgraph CPU"). */
  pids: number[];
  /** Sent on every request of every connection. */
  operation: ScenarioOperation;
  /**
   * When one subgraph answers `operation` on its own: that subgraph's GraphQL URL, measured as
   * the floor (target e). Undefined when the operation spans subgraphs.
   */
  directUrl?: string;
  /**
   * Requests the subgraphs received so far (and how many carried an `authorization` header);
   * undefined when the scenario's subgraphs do not count.
   */
  upstreamStats(): Promise<SubgraphStats | undefined>;
};

/**
 * One benchmark scenario. `start` brings up its subgraphs (each its own process) and composes the
 * supergraph; the harness then starts every gateway against it, checks that all answer the
 * operation identically, and measures them. Register new scenarios in `index.ts`.
 */
export type Scenario = {
  name: string;
  /** One line for the report. */
  title: string;
  /** Claims of the tokens sent with every request (our gateway with authentication on verifies them). */
  principal: BenchPrincipal;
  start(context: ScenarioContext): Promise<RunningScenario>;
};
