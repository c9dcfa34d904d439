/**
 * @apollo/gateway sends usage telemetry to Apollo from its constructor unless the environment
 * variable APOLLO_TELEMETRY_DISABLED is "true" or "1" (it reads process.env itself, so that is
 * the only switch). This product sends nothing to a third party unless the operator opts in
 * (APOLLO_TELEMETRY_DISABLED=false, read in config.ts): call before constructing ApolloGateway.
 */
export function applyApolloTelemetry(enabled: boolean): void {
  if (enabled) return;
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}
