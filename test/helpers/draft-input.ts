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
