import { registerEnumType } from 'type-graphql';

export enum LocationType {
  STORE = 'STORE',
  DC = 'DC',
  DARK_STORE = 'DARK_STORE',
  ONLINE_FC = 'ONLINE_FC',
}
registerEnumType(LocationType, {
  name: 'LocationType',
  description: 'Store, distribution centre, dark store or online fulfilment centre.',
});
