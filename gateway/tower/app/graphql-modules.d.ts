// `.graphql` imports, turned into operations by gateway/tower/graphql-operations.plugin.ts.
declare module '*.graphql' {
  import type { Operation } from './api/operation.ts';
  export const operation: Operation;
}
