import type { ScenarioOperation } from '../scenario.ts';

/**
 * The fixed workload's page (`--storefront-workload fixed`): 20 SKUs, the store and the channel it
 * is shown for. The skewed workload draws its pages (storefront-workload.ts).
 */
export const STOREFRONT_SKUS = Array.from(
  { length: 20 },
  (_, i) => `SKU${String(i + 1).padStart(6, '0')}`,
);
export const STOREFRONT_STORE = 'S001';
export const STOREFRONT_CHANNEL = 'ECOMMERCE';
/** Stock is shown for the store and the two next to it. */
export const STOREFRONT_STOCK_LOCATIONS = ['S001', 'S002', 'S003'];

/**
 * Scenario (ii): what a storefront asks for one listing page. Eligibility (promotion subgraph)
 * for 20 SKUs in one store and channel, with each SKU's name and price (pricing), stock in three
 * locations (inventory), each applicable offer's regular and promotional price (pricing, through
 * `@requires` on the offer's terms) and its promotion with the funding vendor's name (funding).
 * Nothing time-dependent is selected (no `asOf`), so every gateway's answer can be compared.
 */
export const STOREFRONT_QUERY = /* GraphQL */ `
  query StorefrontListing(
    $channel: SalesChannel!
    $storeId: ID!
    $skus: [String!]!
    $stockLocations: [ID!]!
  ) {
    eligiblePromotions(channel: $channel, storeId: $storeId, skus: $skus) {
      sku
      product {
        name
        brand
        price(locationId: $storeId, channel: $channel) {
          amount {
            amount
            currency
          }
          kind
        }
        stock(locationIds: $stockLocations) {
          locationId
          status
          availableToPromise
        }
      }
      offers {
        promotionId
        applicationOrder
        regularPrice {
          amount
          currency
        }
        promotionalPrice {
          amount
          currency
        }
        promotion {
          name
          customerDisplayName
          offer {
            kind
            percentOff
          }
          vendor {
            name
          }
        }
      }
      notApplied {
        promotionId
        reason
      }
    }
  }
`;

/** One listing page: its store, its SKUs and the locations whose stock it shows. */
export type StorefrontPage = {
  channel: string;
  storeId: string;
  skus: readonly string[];
  stockLocations: readonly string[];
};

/** The request of one listing page. */
export function storefrontOperation(page: StorefrontPage): ScenarioOperation {
  return {
    query: STOREFRONT_QUERY,
    operationName: 'StorefrontListing',
    variables: {
      channel: page.channel,
      storeId: page.storeId,
      skus: page.skus,
      stockLocations: page.stockLocations,
    },
  };
}

/** The fixed workload's page (`--storefront-workload fixed`): SKUs 1-20 in S001. */
export const STOREFRONT_OPERATION: ScenarioOperation = storefrontOperation({
  channel: STOREFRONT_CHANNEL,
  storeId: STOREFRONT_STORE,
  skus: STOREFRONT_SKUS,
  stockLocations: STOREFRONT_STOCK_LOCATIONS,
});
