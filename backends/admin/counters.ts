export type CounterSnapshot = {
  total: number;
  routes: Record<string, { calls: number; queryOptions: Record<string, number> }>;
  queryOptions: Record<string, number>;
};

/** Calls per route key (`API_PRODUCT_SRV/A_Product`, `channels/pos`) and per query option. */
export class Counters {
  private total = 0;
  private readonly routes = new Map<string, { calls: number; queryOptions: Map<string, number> }>();
  private readonly queryOptions = new Map<string, number>();

  record(route: string, options: readonly string[]): void {
    this.total++;
    let entry = this.routes.get(route);
    if (!entry) {
      entry = { calls: 0, queryOptions: new Map() };
      this.routes.set(route, entry);
    }
    entry.calls++;
    for (const option of new Set(options)) {
      entry.queryOptions.set(option, (entry.queryOptions.get(option) ?? 0) + 1);
      this.queryOptions.set(option, (this.queryOptions.get(option) ?? 0) + 1);
    }
  }

  /** Calls to one route key (0 when never called). */
  calls(route: string): number {
    return this.routes.get(route)?.calls ?? 0;
  }

  snapshot(): CounterSnapshot {
    const routes: CounterSnapshot['routes'] = {};
    for (const [key, entry] of [...this.routes].sort(([a], [b]) => a.localeCompare(b))) {
      routes[key] = {
        calls: entry.calls,
        queryOptions: Object.fromEntries([...entry.queryOptions].sort()),
      };
    }
    return {
      total: this.total,
      routes,
      queryOptions: Object.fromEntries([...this.queryOptions].sort()),
    };
  }

  reset(): void {
    this.total = 0;
    this.routes.clear();
    this.queryOptions.clear();
  }
}
