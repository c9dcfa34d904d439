/**
 * A valid `CreatePromotionDraftInput` whose window lies in the future (2030): a draft every test
 * stack accepts, named `name`, with `overrides` merged over it.
 */
export function draftInput(
  name: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    offer: { kind: 'PERCENT_OFF', percentOff: '10' },
    scope: { skus: ['SKU000001'] },
    eligibility: { channels: ['ECOMMERCE'] },
    window: {
      startsAt: '2030-01-01T00:00:00Z',
      endsAt: '2030-01-08T00:00:00Z',
      timeZone: 'Europe/Berlin',
    },
    stacking: { mode: 'STACKABLE', priority: 1 },
    ...overrides,
  };
}

/**
 * `draftInput` live now: from a minute ago for a day, in `channels`, priority 10, with
 * `overrides` merged over it.
 */
export function liveDraftInput(
  name: string,
  channels: readonly string[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const now = Date.now();
  return draftInput(name, {
    eligibility: { channels: [...channels] },
    window: {
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 86_400_000).toISOString(),
      timeZone: 'Europe/Berlin',
    },
    stacking: { mode: 'STACKABLE', priority: 10 },
    ...overrides,
  });
}
