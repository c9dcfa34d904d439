export type Summary = { count: number; p50: number; p99: number; max: number; mean: number };

/** Nearest-rank percentiles of millisecond samples. */
export function latencySummary(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const sum = sorted.reduce((total, x) => total + x, 0);
  return {
    count: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    mean: sorted.length ? sum / sorted.length : 0,
  };
}

/** Creates a promotion draft through the gateway (one committed transition with its event). */
export async function createDraft(
  gatewayUrl: string,
  token: string,
  name: string,
): Promise<{ id: string; eventCursor: string }> {
  const now = Date.now();
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation($input: CreatePromotionDraftInput!) {
        createPromotionDraft(input: $input) { eventCursor promotion { id } }
      }`,
      variables: {
        input: {
          name,
          offer: { kind: 'PERCENT_OFF', percentOff: '10' },
          scope: { skus: ['SKU000001', 'SKU000002'] },
          eligibility: { channels: ['ECOMMERCE'], locationIds: ['S001', 'S002'] },
          window: {
            startsAt: new Date(now + 86_400_000).toISOString(),
            endsAt: new Date(now + 2 * 86_400_000).toISOString(),
            timeZone: 'UTC',
          },
          stacking: { mode: 'STACKABLE', priority: 1 },
          expectedUnits: [{ sku: 'SKU000001', quantity: '1' }],
        },
      },
    }),
  });
  const body = (await res.json()) as {
    data?: { createPromotionDraft: { eventCursor: string; promotion: { id: string } } };
    errors?: unknown[];
  };
  if (!body.data) throw new Error(`createPromotionDraft failed: ${JSON.stringify(body.errors)}`);
  const result = body.data.createPromotionDraft;
  return { id: result.promotion.id, eventCursor: result.eventCursor };
}
