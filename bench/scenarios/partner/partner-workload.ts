import type { Workload, WorkloadState } from '../scenario.ts';

/** The vendor the partner token is confined to (a supplier of the emulated ERP). */
export const PARTNER_VENDOR = 'V100001';
/** Its agreement the emulated ERP has released for every SKU (a vendor's draft must name one). */
const PARTNER_AGREEMENT = '0000000002';

const CREATE = /* GraphQL */ `
  mutation PartnerCreateDraft($input: CreatePromotionDraftInput!) {
    createPromotionDraft(input: $input) {
      idempotentReplay
      promotion {
        id
        version
        state
        name
        vendor {
          id
        }
      }
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation PartnerUpdateDraft($id: ID!, $version: Int!, $input: UpdatePromotionDraftInput!) {
    updatePromotionDraft(id: $id, expectedVersion: $version, input: $input) {
      idempotentReplay
      promotion {
        id
        version
        state
        name
        offer {
          kind
          percentOff
        }
      }
    }
  }
`;

const SUBMIT = /* GraphQL */ `
  mutation PartnerSubmit($id: ID!, $version: Int!) {
    submitPromotion(id: $id, expectedVersion: $version) {
      idempotentReplay
      promotion {
        id
        version
        state
      }
    }
  }
`;

const READ = /* GraphQL */ `
  query PartnerPromotion($id: ID!) {
    promotion(id: $id) {
      id
      version
      state
      name
      currency
      offer {
        kind
        percentOff
      }
      scope {
        skus
      }
      eligibility {
        channels
        locationIds
      }
      window {
        startsAt
        endsAt
        timeZone
      }
      stacking {
        mode
        priority
      }
      vendor {
        id
      }
    }
  }
`;

/**
 * The mix's documents: partner tokens may run trusted documents only (policies/operations.yaml),
 * so the scenario gives our gateway a manifest of exactly these texts, and sends them as text so
 * the peers, which have no manifest, get the same requests.
 */
export const PARTNER_DOCUMENTS = [CREATE, UPDATE, SUBMIT, READ] as const;

type Recorded = { promotion: { id: string; version: number } };

const recordPromotion =
  (field: string) =>
  (state: WorkloadState, data: Record<string, unknown>): void => {
    const { id, version } = (data[field] as Recorded).promotion;
    state.values.id = id;
    state.values.version = version;
  };

/**
 * Scenario (iii)'s mix, per connection and again and again: a partner creates a fresh draft
 * (unique idempotency key), updates it (name and discount, at the version the create returned),
 * submits it for approval, and reads it back: three mutations and one query, each valid for the
 * state the previous one left. `runId` keeps idempotency keys unique across runs and targets
 * share one counter, so no key repeats. The window is fixed when the scenario starts, so every
 * target's answers are equal except the generated ids.
 */
export function createPartnerWorkload(runId: string, now: number): Workload {
  let sequence = 0;
  // Input fields with defaults (currency, requiresCode, mode, discountClass) are sent explicitly:
  // Hive Gateway's JS runtime refuses the create without them ("Field value.currency of required
  // type CurrencyCode! was not provided").
  const window = {
    startsAt: new Date(now + 2 * 86_400_000).toISOString(),
    endsAt: new Date(now + 9 * 86_400_000).toISOString(),
    timeZone: 'Europe/Berlin',
    mode: 'ABSOLUTE',
  };
  const skus = ['SKU000101', 'SKU000102', 'SKU000103'];
  return {
    volatileKeys: ['id'],
    steps: [
      {
        name: 'createPromotionDraft',
        operation: (state) => ({
          query: CREATE,
          operationName: 'PartnerCreateDraft',
          variables: {
            input: {
              idempotencyKey: `bench-${runId}-${state.connection}-${sequence++}`,
              name: 'Partner spring deal',
              currency: 'EUR',
              vendorId: PARTNER_VENDOR,
              fundingAgreementId: PARTNER_AGREEMENT,
              vendorSharePercent: '2',
              offer: { kind: 'PERCENT_OFF', percentOff: '10' },
              scope: { skus },
              eligibility: {
                channels: ['ECOMMERCE', 'MARKETPLACE'],
                locationIds: ['S001', 'S002'],
                requiresCode: false,
              },
              window,
              stacking: { mode: 'STACKABLE', discountClass: 'PRODUCT', priority: 100 },
              expectedUnits: skus.map((sku) => ({ sku, quantity: '25' })),
            },
          },
        }),
        record: recordPromotion('createPromotionDraft'),
      },
      {
        name: 'updatePromotionDraft',
        operation: (state) => ({
          query: UPDATE,
          operationName: 'PartnerUpdateDraft',
          variables: {
            id: state.values.id,
            version: state.values.version,
            input: {
              name: 'Partner spring deal (revised)',
              offer: { kind: 'PERCENT_OFF', percentOff: '12.5' },
            },
          },
        }),
        record: recordPromotion('updatePromotionDraft'),
      },
      {
        name: 'submitPromotion',
        operation: (state) => ({
          query: SUBMIT,
          operationName: 'PartnerSubmit',
          variables: { id: state.values.id, version: state.values.version },
        }),
        record: recordPromotion('submitPromotion'),
      },
      {
        name: 'promotion',
        operation: (state) => ({
          query: READ,
          operationName: 'PartnerPromotion',
          variables: { id: state.values.id },
        }),
      },
    ],
  };
}
