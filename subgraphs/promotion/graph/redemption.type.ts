import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../../../contracts/canonical/scalars.ts';
import { RedemptionRejection } from '../redemptions/redemption-line.ts';
import { MoneyInput } from './promotion-input.type.ts';

registerEnumType(RedemptionRejection, {
  name: 'RedemptionRejection',
  description: 'Why a sales line was not recorded (the rest of its feed was).',
});

@InputType('RedemptionLineInput', {
  description:
    'One sales line a channel reports: the promotion applied to a SKU in a transaction. Channel, transactionId and lineNumber identify it: reporting it again changes nothing.',
})
export class RedemptionLineInput {
  @Field(() => String, { description: "The channel's transaction (receipt, order) id." })
  transactionId!: string;

  @Field(() => Int, { description: 'The line within the transaction, from 1.' })
  lineNumber!: number;

  @Field(() => ID)
  promotionId!: string;

  @Field(() => String)
  sku!: string;

  @Field(() => ID, { description: 'Store (or fulfilment location) of the sale.' })
  locationId!: string;

  @Field(() => DecimalScalar, {
    description: 'Units sold, at most 3 decimals; negative for a return.',
  })
  quantity!: string;

  @Field(() => MoneyInput, {
    description: 'Discount the promotion gave on this line, to the cent; negative for a return.',
  })
  discount!: MoneyInput;

  @Field(() => DateTimeScalar, { description: 'When the sale happened (not when it is reported).' })
  soldAt!: string;
}

@ObjectType('RejectedRedemptionLine')
export class RejectedRedemptionLine {
  @Field(() => Int, { description: 'Position of the line in the feed, from 0.' })
  index!: number;

  @Field(() => String)
  transactionId!: string;

  @Field(() => Int)
  lineNumber!: number;

  @Field(() => RedemptionRejection)
  code!: RedemptionRejection;

  @Field(() => String)
  message!: string;
}

@ObjectType('RecordRedemptionsResult')
export class RecordRedemptionsResult {
  @Field(() => Int, { description: 'Lines stored by this call.' })
  recorded!: number;

  @Field(() => Int, {
    description: 'Lines stored before with the same values (a replay): nothing changed.',
  })
  duplicates!: number;

  @Field(() => [RejectedRedemptionLine], { description: 'Lines not stored, and why.' })
  rejected!: RejectedRedemptionLine[];
}
