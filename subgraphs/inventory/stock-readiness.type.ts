import { Field, ID, Int, ObjectType } from 'type-graphql';
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

@ObjectType('InventoryReadiness', { description: 'Live stock coverage of a promotion.' })
export class InventoryReadiness {
  @Field(() => ReadinessCheck)
  check!: ReadinessCheck;

  @Field(() => [Shortfall])
  shortfalls!: Shortfall[];

  @Field(() => Int, { description: 'Locations where stock covers expected demand of every SKU.' })
  locationsCovered!: number;

  @Field(() => Int, { description: 'Locations with at least one shortfall.' })
  locationsShort!: number;
}
