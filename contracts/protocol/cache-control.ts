/**
 * True when a `Cache-Control` value asks not to be served from caches (`no-cache`, in any case,
 * among other directives). A storefront sends it to the gateway for fresh prices and stock; the
 * gateway forwards it to the subgraphs, whose ERP caches then skip their entries.
 */
export function asksNoCache(value: string | readonly string[] | null | undefined): boolean {
  if (!value) return false;
  const text = typeof value === 'string' ? value : value.join(',');
  return text
    .toLowerCase()
    .split(',')
    .some((directive) => directive.trim() === 'no-cache');
}

/**
 * One entry of a response's `extensions.freshness.stale` (subgraph → gateway → client): an ERP
 * source answered from a cache past its fresh window.
 */
export type StaleSource = {
  /** The ERP port, e.g. `stock`, `prices`, `locations`, `products`. */
  source: string;
  /** When the oldest such answer came from the ERP (ISO 8601, UTC). */
  asOf: string;
  /** `revalidating`: being refreshed in the background; `backend-unavailable`: the ERP failed. */
  reason: 'revalidating' | 'backend-unavailable';
};
