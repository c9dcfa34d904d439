import type { Env } from './env.ts';

/**
 * METRICS_TOKEN, for the gateway and every subgraph alike: the bearer token GET /metrics
 * requires, at least 32 characters. `required` (production): refusing to start without one
 * rather than serve process internals to anyone (or 401 to its own scraper, unnoticed).
 * Unset otherwise: /metrics is open (development).
 */
export function metricsTokenFrom(env: Env, required: boolean): string | undefined {
  const token = env.METRICS_TOKEN ?? '';
  if (!token) {
    if (required) {
      throw new Error(
        'METRICS_TOKEN must be set when NODE_ENV=production: the bearer token (at least 32 characters) GET /metrics requires',
      );
    }
    return undefined;
  }
  if (token.length < 32) throw new Error('METRICS_TOKEN must be at least 32 characters');
  return token;
}
