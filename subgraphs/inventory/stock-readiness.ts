import Big from 'big.js';
import { FindingSeverity, ReadinessArea, type SalesChannel } from '../shared/canonical/enums.ts';
import type { ReadinessFinding } from '../shared/canonical/readiness.type.ts';
import { badUserInput } from '../shared/errors.ts';
import { formatQuantity } from './atp.ts';
import type { LocationDirectory } from './location-directory.ts';
import { LocationType } from './location-type.enum.ts';
import type { StockReadinessPolicy } from '../../policies/stock-readiness-policy.ts';
import { StockDecision } from './stock-decision.enum.ts';
import type { InventoryReadiness, LocationReadiness, Shortfall } from './stock-readiness.type.ts';

/** The part of the promotion terms the readiness check reads. */
export type ReadinessTerms = {
  skus: readonly string[];
  locationIds: readonly string[];
  channels: readonly SalesChannel[];
  expectedUnitsBySku: readonly { sku: string; quantity: string }[];
};

/** Findings listed at most; the summary says how many more there are. */
export const MAX_FINDINGS = 50;

/** Location types that sell to customers (a DC is only checked when listed explicitly). */
const SELLING_TYPES = new Set<LocationType>([
  LocationType.STORE,
  LocationType.DARK_STORE,
  LocationType.ONLINE_FC,
]);

/**
 * The locations a promotion's stock is checked at: `terms.locationIds` (unknown ids reported
 * apart), or when empty every store, dark store and online FC selling in one of the channels.
 */
export function readinessLocations(
  terms: ReadinessTerms,
  directory: LocationDirectory,
): { locationIds: string[]; unknownLocationIds: string[] } {
  if (terms.locationIds.length > 0) {
    const ids = unique(terms.locationIds);
    return {
      locationIds: ids.filter((id) => directory.byId.has(id)),
      unknownLocationIds: ids.filter((id) => !directory.byId.has(id)),
    };
  }
  const channels = new Set(terms.channels);
  return {
    locationIds: directory.all
      .filter((l) => SELLING_TYPES.has(l.type) && l.channels.some((c) => channels.has(c)))
      .map((l) => l.id),
    unknownLocationIds: [],
  };
}

export type ReadinessInput = {
  skus: readonly string[];
  locationIds: readonly string[];
  unknownLocationIds: readonly string[];
  expectedUnitsBySku: ReadinessTerms['expectedUnitsBySku'];
  /** Available-to-promise of a SKU at a location (decimal string). */
  availableToPromise: (sku: string, locationId: string) => string;
  /** When a location is held (policies/stock-readiness.yaml). */
  policy: StockReadinessPolicy;
  /** The window's length in days (at least 1), null when it has no end: days of supply unchecked. */
  windowDays: number | null;
};

/** The window's length in days (fractions count, at least 1); null without both ends. */
export function windowDays(startsAt?: string | null, endsAt?: string | null): number | null {
  const start = startsAt ? Date.parse(startsAt) : NaN;
  const end = endsAt ? Date.parse(endsAt) : NaN;
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) return null;
  return Math.max(1, (end - start) / 86_400_000);
}

/**
 * Per SKU and location: expected demand = expected units of the SKU / number of locations (3 dp,
 * half up); coverage = ATP / demand; days of supply = ATP / (demand / window days). Below the
 * policy (`minCoveragePercent`, `minDaysOfSupply`) it is a shortfall, short by what the policy
 * asks minus ATP. A location with a shortfall is HOLD, the others GO. The check passes when no
 * location is held and none is unknown; `holdsAcceptable` says whether an approver may accept
 * the holds (some locations held, none unknown, at least `minGoPercent` going ahead).
 */
export function assessStockReadiness(input: ReadinessInput): InventoryReadiness {
  const skus = unique(input.skus);
  const expected = expectedUnits(input.expectedUnitsBySku);
  const locationCount = input.locationIds.length;
  const { policy } = input;
  const shortfalls: Shortfall[] = [];
  const shortLocations = new Set<string>();
  const perLocation = new Map<
    string,
    { coverage: Big | null; days: Big | null; shortSkus: number }
  >(input.locationIds.map((id) => [id, { coverage: null, days: null, shortSkus: 0 }]));
  for (const sku of skus) {
    const units = expected.get(sku);
    if (!units || locationCount === 0) continue;
    const demand = units.div(locationCount).round(3, Big.roundHalfUp);
    if (!demand.gt(0)) continue;
    const daily = input.windowDays === null ? null : demand.div(input.windowDays);
    let required = demand.times(policy.minCoveragePercent).div(100);
    if (daily && policy.minDaysOfSupply > 0) {
      const forDays = daily.times(policy.minDaysOfSupply);
      if (forDays.gt(required)) required = forDays;
    }
    required = required.round(3, Big.roundUp);
    for (const locationId of input.locationIds) {
      const atp = new Big(input.availableToPromise(sku, locationId));
      const at = perLocation.get(locationId)!;
      const coverage = atp.times(100).div(demand);
      if (at.coverage === null || coverage.lt(at.coverage)) at.coverage = coverage;
      if (daily) {
        const days = atp.div(daily);
        if (at.days === null || days.lt(at.days)) at.days = days;
      }
      if (atp.gte(required)) continue;
      at.shortSkus += 1;
      shortLocations.add(locationId);
      shortfalls.push({
        sku,
        locationId,
        availableToPromise: formatQuantity(atp),
        expectedDemand: formatQuantity(demand),
        shortBy: formatQuantity(required.minus(atp)),
      });
    }
  }
  const locations: LocationReadiness[] = input.locationIds.map((locationId) => {
    const at = perLocation.get(locationId)!;
    return {
      locationId,
      decision: at.shortSkus > 0 ? StockDecision.HOLD : StockDecision.GO,
      lowestCoveragePercent: at.coverage === null ? null : at.coverage.toFixed(1),
      lowestDaysOfSupply: at.days === null ? null : at.days.toFixed(1),
      shortSkus: at.shortSkus,
    };
  });
  const goCount = locationCount - shortLocations.size;
  const holdsAcceptable =
    shortLocations.size > 0 &&
    input.unknownLocationIds.length === 0 &&
    goCount > 0 &&
    (goCount * 100) / locationCount >= policy.minGoPercent;

  const findings: ReadinessFinding[] = [
    ...input.unknownLocationIds.map((locationId) => ({
      code: 'UNKNOWN_LOCATION',
      sku: null,
      locationId,
      message: `Location ${locationId} is not known to inventory`,
      severity: FindingSeverity.BLOCKING,
      evidence: [],
    })),
    ...shortfalls.map((s) => ({
      code: 'STOCK_SHORTFALL',
      sku: s.sku,
      locationId: s.locationId,
      message: `SKU ${s.sku} at location ${s.locationId}: ${s.availableToPromise} available to promise, ${s.expectedDemand} expected, short by ${s.shortBy}; the location is held`,
      severity: FindingSeverity.BLOCKING,
      evidence: [
        { name: 'availableToPromise', value: s.availableToPromise },
        { name: 'expectedDemand', value: s.expectedDemand },
        { name: 'shortBy', value: s.shortBy },
      ],
    })),
  ];
  const passed = findings.length === 0;
  const hidden = Math.max(0, findings.length - MAX_FINDINGS);
  let summary: string;
  if (locationCount === 0 && input.unknownLocationIds.length === 0) {
    summary = 'No locations to check';
  } else if (passed) {
    summary = `Stock covers expected demand for ${count(skus.length, 'SKU')} at ${count(locationCount, 'location')}`;
  } else {
    const parts: string[] = [];
    if (shortfalls.length > 0) {
      parts.push(
        `${count(shortfalls.length, 'shortfall')} at ${shortLocations.size} of ${count(locationCount, 'location')}`,
      );
    }
    if (input.unknownLocationIds.length > 0) {
      parts.push(count(input.unknownLocationIds.length, 'unknown location'));
    }
    if (hidden > 0)
      parts.push(`${hidden} more ${hidden === 1 ? 'finding' : 'findings'} not listed`);
    summary = parts.join('; ');
  }
  return {
    check: {
      area: ReadinessArea.INVENTORY,
      passed,
      summary,
      findings: findings.slice(0, MAX_FINDINGS),
    },
    shortfalls,
    locationsCovered: goCount,
    locationsShort: shortLocations.size,
    locations,
    holdsAcceptable,
  };
}

function expectedUnits(rows: ReadinessTerms['expectedUnitsBySku']): Map<string, Big> {
  const out = new Map<string, Big>();
  for (const row of rows) {
    let quantity: Big;
    try {
      quantity = new Big(String(row.quantity));
    } catch {
      throw badUserInput(`expectedUnitsBySku quantity for SKU ${row.sku} is not a decimal`);
    }
    out.set(row.sku, (out.get(row.sku) ?? new Big(0)).plus(quantity));
  }
  return out;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
