import { Field, ID, Int, ObjectType } from 'type-graphql';
import { StockDecision } from './stock-decision.enum.ts';
import { DecimalScalar } from '../../contracts/canonical/scalars.ts';
import { ReadinessCheck } from '../shared/canonical/readiness.type.ts';

@ObjectType('Shortfall', { description: 'Expected demand above available-to-promise.' })
export class Shortfall {
  @Field(() => String)
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => DecimalScalar)
  availableToPromise!: string;

  @Field(() => DecimalScalar, {
    description: 'Expected units for the SKU divided evenly over the locations (3 dp).',
  })
  expectedDemand!: string;

  @Field(() => DecimalScalar)
  shortBy!: string;
}

@ObjectType('LocationReadiness', { description: "One location's stock decision." })
export class LocationReadiness {
  @Field(() => ID)
  locationId!: string;

  @Field(() => StockDecision)
  decision!: StockDecision;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'The lowest ATP / expected demand over the SKUs, percent (null: no demand).',
  })
  lowestCoveragePercent!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'The lowest ATP / expected daily demand over the SKUs (null: no window end).',
  })
  lowestDaysOfSupply!: string | null;

  @Field(() => Int, { description: 'SKUs below the policy here.' })
  shortSkus!: number;
}

@ObjectType('InventoryReadiness', { description: 'Live stock coverage of a promotion.' })
export class InventoryReadiness {
  @Field(() => ReadinessCheck)
  check!: ReadinessCheck;

  @Field(() => [Shortfall])
  shortfalls!: Shortfall[];

  @Field(() => Int, { description: 'Locations where stock meets the policy for every SKU (GO).' })
  locationsCovered!: number;

  @Field(() => Int, { description: 'Locations with at least one shortfall.' })
  locationsShort!: number;

  @Field(() => [LocationReadiness], { description: 'Every location checked, in order.' })
  locations!: LocationReadiness[];

  @Field(() => Boolean, {
    description:
      'Some locations are held, none unknown, and enough go ahead (minGoPercent) for an approver to accept the holds.',
  })
  holdsAcceptable!: boolean;
}
