import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { requiresScopes } from '../shared/access-control.ts';
import { DateTimeScalar, DecimalScalar } from '../../contracts/canonical/scalars.ts';
import { Location } from './location.type.ts';
import { StockStatus } from './stock-status.enum.ts';

/**
 * Stock of one SKU at one location. Quantities are in `unitOfMeasure`; the component quantities
 * are nullable because they will be scope-protected (commercially sensitive).
 */
@Directive('@key(fields: "sku locationId")')
@ObjectType('InventoryPosition')
export class InventoryPosition {
  @Field(() => String)
  sku!: string;

  @Field(() => ID)
  locationId!: string;

  @Field(() => Location)
  location!: Location;

  @Field(() => StockStatus)
  status!: StockStatus;

  @Field(() => DecimalScalar, {
    description: 'max(0, onHand - reserved - unavailable - safetyStock).',
  })
  availableToPromise!: string;

  @Directive(requiresScopes(['inventory:quantity:read']))
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Unrestricted stock at the sellable storage locations.',
  })
  onHand?: string | null;

  @Directive(requiresScopes(['inventory:quantity:read']))
  @Field(() => DecimalScalar, { nullable: true, description: 'Open reservations.' })
  reserved?: string | null;

  @Directive(requiresScopes(['inventory:quantity:read']))
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Quality inspection, blocked and goods-receipt-blocked stock.',
  })
  unavailable?: string | null;

  @Directive(requiresScopes(['inventory:quantity:read']))
  @Field(() => DecimalScalar, { nullable: true })
  safetyStock?: string | null;

  @Directive(requiresScopes(['inventory:quantity:read']))
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Incoming stock (in transit and in transfer); not part of availableToPromise.',
  })
  inTransit?: string | null;

  @Field(() => String)
  unitOfMeasure!: string;

  @Field(() => DateTimeScalar, {
    description: 'When the ERP snapshot behind this position was read.',
  })
  asOf!: string;
}
